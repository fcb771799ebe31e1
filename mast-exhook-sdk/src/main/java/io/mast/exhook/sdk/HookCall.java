package io.mast.exhook.sdk;

/**
 * The request being handled, for the rare hook that needs more than its parameters: see
 * {@link HookProvider#currentCall()}.
 *
 * @param hook     the hook's protocol name, e.g. {@code client.connected}
 * @param protocol the protocol version the broker called with: {@code v3} or {@code v2}
 * @param meta     the broker node that sent the request
 * @param request  the request as received, in the {@code io.mast.exhook.proto.v3} classes (with protocol v2 too:
 *                 the two versions differ only in fields v2 lacks), e.g. the MQTT 5.0 properties of a
 *                 {@code MessagePublishRequest}
 */
public record HookCall(String hook, String protocol, RequestMeta meta, com.google.protobuf.Message request) {
}
