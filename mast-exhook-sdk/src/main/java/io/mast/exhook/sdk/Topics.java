package io.mast.exhook.sdk;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Limits a message hook ({@code onMessagePublish}, {@code onMessageDelivered}, {@code onMessageAcked},
 * {@code onMessageDropped} and the {@code answerMessagePublish} form) to messages whose topic matches one of these
 * MQTT topic filters; the broker then sends only those. Without it the hook sees every topic (never {@code $SYS/}).
 * <pre>{@code
 * @Topics({"sensors/#", "alarms/+/high"})
 * @Override public Message onMessagePublish(Message message) { ... }
 * }</pre>
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface Topics {
    /** The topic filters, e.g. {@code "sensors/#"}. */
    String[] value();
}
