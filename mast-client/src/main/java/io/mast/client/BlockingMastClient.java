package io.mast.client;

import io.mast.codec.MqttProperties;
import io.mast.codec.Qos;
import io.mast.codec.ReasonCode;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A blocking view of a {@link MastClient}: each call waits for the answer, at most the timeout given when the view
 * was made, and throws {@link MqttClientException} on failure. Messages of subscriptions made here are queued for
 * {@link #receive(Duration)}. Its calls must not be made from a listener running on the client's I/O thread, which
 * they would wait for: they fail with {@link IllegalStateException} there.
 * <pre>{@code
 * BlockingMastClient c = MastClient.builder().port(1883).build().toBlocking();
 * c.connect();
 * c.subscribe("replies/#", Qos.AT_LEAST_ONCE);
 * c.publish(MqttMessage.of("requests/1", "ping", Qos.AT_LEAST_ONCE));
 * MqttMessage reply = c.receive(Duration.ofSeconds(5));
 * c.close();
 * }</pre>
 */
public final class BlockingMastClient implements AutoCloseable {

    private final MastClient client;
    private final Duration timeout;
    private final BlockingQueue<MqttMessage> inbox = new LinkedBlockingQueue<>();

    BlockingMastClient(MastClient client, Duration timeout) {
        this.client = client;
        this.timeout = timeout;
    }

    /** The asynchronous client behind this view. */
    public MastClient async() {
        return client;
    }

    public ConnectResult connect() {
        return await(client.connect());
    }

    public PublishResult publish(MqttMessage message) {
        return await(client.publish(message));
    }

    public PublishResult publish(String topic, byte[] payload, Qos qos) {
        return await(client.publish(topic, payload, qos));
    }

    /** Subscribes; the messages are queued for {@link #receive(Duration)}. */
    public SubscribeResult subscribe(String filter, Qos qos) {
        return await(client.subscribe(filter, qos, inbox::add));
    }

    /** Subscribes with a listener of its own (not queued). */
    public SubscribeResult subscribe(String filter, Qos qos, MessageListener listener) {
        return await(client.subscribe(filter, qos, listener));
    }

    public UnsubscribeResult unsubscribe(String... filters) {
        return await(client.unsubscribe(filters));
    }

    /** The next message of a subscription made through this view, or {@code null} when none came in time. */
    public MqttMessage receive(Duration wait) throws InterruptedException {
        return inbox.poll(wait.toNanos(), TimeUnit.NANOSECONDS);
    }

    public void disconnect() {
        await(client.disconnect());
    }

    public void disconnect(ReasonCode reason, MqttProperties properties) {
        await(client.disconnect(reason, properties));
    }

    @Override
    public void close() {
        client.close();
    }

    private <T> T await(CompletableFuture<T> f) {
        if (client.onIoThread()) {
            throw new IllegalStateException("a blocking call on the client's I/O thread would wait for itself; "
                    + "use the asynchronous client there");
        }
        try {
            return f.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MqttClientException("interrupted", null, e);
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof MqttClientException m) {
                throw m;
            }
            if (c instanceof RuntimeException r) {
                throw r;
            }
            throw new MqttClientException(ClientConnection.message(c), null, c);
        } catch (TimeoutException e) {
            throw new MqttClientException("no answer within " + timeout.toMillis() + " ms", null, e);
        }
    }
}
