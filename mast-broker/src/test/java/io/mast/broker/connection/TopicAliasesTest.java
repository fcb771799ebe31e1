package io.mast.broker.connection;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TopicAliasesTest {

    @Test
    void inboundAliasesMapToTopics() {
        TopicAliases a = new TopicAliases(3, 0);
        assertThat(a.inbound(1)).isNull();
        a.inbound(1, "x/y");
        assertThat(a.inbound(1)).isEqualTo("x/y");
        a.inbound(1, "z");
        assertThat(a.inbound(1)).isEqualTo("z");
        assertThat(a.inbound(4)).isNull();
    }

    @Test
    void outboundAssignsThenReuses() {
        TopicAliases a = new TopicAliases(0, 2);
        assertThat(a.outbound("t1")).isEqualTo(-1);
        assertThat(a.outbound("t1")).isEqualTo(1);
        assertThat(a.outbound("t2")).isEqualTo(-2);
        assertThat(a.outbound("t2")).isEqualTo(2);
    }

    @Test
    void outboundReplacesTheLeastRecentlyUsedAlias() {
        TopicAliases a = new TopicAliases(0, 2);
        a.outbound("t1");
        a.outbound("t2");
        a.outbound("t1"); // t2 is now the least recently used
        assertThat(a.outbound("t3")).isEqualTo(-2);
        assertThat(a.outbound("t1")).isEqualTo(1); // now t3 is the least recently used
        assertThat(a.outbound("t2")).isEqualTo(-2);
    }

    @Test
    void outboundIsOffWhenTheClientAllowsNone() {
        assertThat(new TopicAliases(5, 0).outbound("t")).isZero();
    }
}
