package io.mast.exhook;

import com.google.protobuf.Message;
import io.mast.exhook.proto.v3.ValuedResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A decision asked of the servers in config order, folded as EMQX's {@code emqx_exhook:call_fold} does: a server
 * answering IGNORE is skipped; CONTINUE with a value of the right kind takes the value (the next server sees it in
 * its request: {@code result}, or the message) and goes on; STOP_AND_RETURN takes the value and asks no further
 * server; an answer without a usable value counts as IGNORE (logged). A failed call (timeout, error, server down)
 * skips the server under {@code failed_action: ignore} and ends the decision as denied under {@code deny}. When no
 * server gave a value, the earlier result stands ({@link Outcome#valued()} is false).
 *
 * <p>Every server that takes part gets its place in the client's order when the decision starts, so that calls
 * raised later for the same client never overtake the decision's call at any server.
 */
final class Fold<R extends Message> {

    private static final Logger log = LoggerFactory.getLogger(ExHookPlugin.class);

    /** How one kind of decision reads answers. */
    interface Step<R extends Message> {
        /** Whether the server is called with this request (the topic filters of message.publish). */
        default boolean wanted(HookServer server, Hook hook, R request) {
            return true;
        }

        /**
         * The request with the answer's value in it, {@link Merge#ignore()} when the answer has no value of the right
         * kind, or {@link Merge#invalid(String)} when its value cannot be used (counts as a failed call).
         */
        Merge<R> merge(R request, ValuedResponse answer);
    }

    /** The result of merging one answer. */
    record Merge<R>(R request, String invalid) {
        static <R> Merge<R> of(R request) {
            return new Merge<>(request, null);
        }

        static <R> Merge<R> ignore() {
            return new Merge<>(null, null);
        }

        static <R> Merge<R> invalid(String why) {
            return new Merge<>(null, why);
        }
    }

    /**
     * How the decision ended.
     *
     * @param request   the request with the last value taken (the initial one when none was)
     * @param valued    true when some server gave a value
     * @param deniedBy  the server whose failure denied the decision ({@code failed_action: deny}), or {@code null}
     * @param why       what failed, with {@code deniedBy}
     * @param answer    the answer whose value was taken last (its Mast extension: reason code and string), or
     *                  {@code null}
     */
    record Outcome<R>(R request, boolean valued, HookServer deniedBy, String why, ValuedResponse answer) {
    }

    private final Hook hook;
    private final String key;
    private final Step<R> step;
    private final List<HookServer> servers;
    private final List<Sequencer.Slot> slots;
    private final CompletableFuture<Outcome<R>> out = new CompletableFuture<>();
    /** The answer whose value was taken last; the servers are asked one after another, never at once. */
    private volatile ValuedResponse taken;

    private Fold(Hook hook, String key, Step<R> step, List<HookServer> servers) {
        this.hook = hook;
        this.key = key;
        this.step = step;
        this.servers = servers;
        this.slots = new ArrayList<>(servers.size());
        // The first server is asked at once, so its place is taken when the call is made; the others' now.
        for (int i = 0; i < servers.size(); i++) {
            slots.add(i == 0 ? null : servers.get(i).calls.reserve(key, hook == Hook.MESSAGE_PUBLISH));
        }
    }

    /** True when some server takes part in the hook (otherwise the earlier result stands, at no cost). */
    static boolean anyWants(List<HookServer> servers, Hook hook, String topic) {
        for (HookServer s : servers) {
            if (s.wants(hook, topic)) {
                return true;
            }
        }
        return false;
    }

    /** Runs a decision over the servers (in their order) that take part in the hook. */
    static <R extends Message> CompletableFuture<Outcome<R>> run(List<HookServer> servers, Hook hook, String key,
                                                                 R request, Step<R> step) {
        List<HookServer> taking = new ArrayList<>(servers.size());
        for (HookServer s : servers) {
            if (s.wants(hook)) {
                taking.add(s);
            }
        }
        if (taking.isEmpty()) {
            return CompletableFuture.completedFuture(new Outcome<>(request, false, null, null, null));
        }
        Fold<R> f = new Fold<>(hook, key, step, taking);
        f.next(0, request, false);
        return f.out;
    }

    private void next(int from, R request, boolean valued) {
        for (int i = from; i < servers.size(); i++) {
            HookServer s = servers.get(i);
            Sequencer.Slot slot = slots.get(i);
            if (!s.wants(hook) || !step.wanted(s, hook, request)) {
                if (slot != null) {
                    s.calls.skip(slot);
                }
                continue;
            }
            int at = i;
            CompletableFuture<Reply> call = slot != null ? s.calls.send(slot, hook, key, request)
                    : s.calls.sendNow(hook, key, request, hook == Hook.MESSAGE_PUBLISH);
            call.whenComplete((reply, e) -> {
                try {
                    answered(at, request, valued, e != null
                            ? Reply.failed(Reply.Failure.ERROR, String.valueOf(e)) : reply);
                } catch (RuntimeException x) {
                    skipFrom(at + 1);
                    out.completeExceptionally(x);
                }
            });
            return;
        }
        out.complete(new Outcome<>(request, valued, null, null, taken));
    }

    private void answered(int at, R request, boolean valued, Reply reply) {
        HookServer s = servers.get(at);
        if (!reply.ok()) {
            failed(at, request, valued, reply.detail());
            return;
        }
        ValuedResponse answer = (ValuedResponse) reply.answer();
        switch (answer.getType()) {
            case IGNORE -> next(at + 1, request, valued);
            case CONTINUE, STOP_AND_RETURN -> {
                Merge<R> m = reply.sameMessage() ? Merge.of(request) : step.merge(request, answer);
                if (m.invalid() != null) {
                    failed(at, request, valued, m.invalid());
                } else if (m.request() == null) {
                    log.warn("ExHook server {} answered {} for {} with {} but no usable value; counted as IGNORE",
                            s.name, hook.hookName, key, answer.getType());
                    next(at + 1, request, valued);
                } else if (answer.getType() == ValuedResponse.ResponsedType.STOP_AND_RETURN) {
                    taken = answer;
                    skipFrom(at + 1);
                    out.complete(new Outcome<>(m.request(), true, null, null, answer));
                } else {
                    taken = answer;
                    next(at + 1, m.request(), true);
                }
            }
            default -> {
                log.warn("ExHook server {} answered {} for {} with an unknown type ({}); counted as IGNORE", s.name,
                        hook.hookName, key, answer.getTypeValue());
                next(at + 1, request, valued);
            }
        }
    }

    private void failed(int at, R request, boolean valued, String why) {
        HookServer s = servers.get(at);
        s.failures.warn("ExHook server {}: {} for {} failed ({}); counted as {}", s.name, hook.hookName, key, why,
                s.failedAction().name().toLowerCase(java.util.Locale.ROOT));
        if (s.failedAction() == ServerConfig.FailedAction.IGNORE) {
            next(at + 1, request, valued);
            return;
        }
        skipFrom(at + 1);
        out.complete(new Outcome<>(request, valued, s, why, taken));
    }

    private void skipFrom(int from) {
        for (int i = Math.max(from, 1); i < servers.size(); i++) {
            servers.get(i).calls.skip(slots.get(i));
        }
    }
}
