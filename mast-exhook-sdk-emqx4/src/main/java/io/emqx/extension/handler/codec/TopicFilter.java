package io.emqx.extension.handler.codec;

/** A topic filter of a SUBSCRIBE or UNSUBSCRIBE with its QoS. */
public class TopicFilter implements HandlerParameter {

    public final String topic;
    public final int qos;

    public TopicFilter(String topic, int qos) {
        this.topic = topic;
        this.qos = qos;
    }

    @Override
    public String toString() {
        return "TopicFilter (topic=" + topic + ", qos=" + qos + ")";
    }
}
