package io.mast.cli.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PayloadTest {

    @Test
    void theHeaderReadsBackWhatWasWritten() {
        byte[] p = Payload.make(64, 0xCAFEBABE, 123_456, 9_876_543_210L, -5L);
        assertThat(p).hasSize(64);
        assertThat(Payload.isBench(p)).isTrue();
        assertThat(Payload.runId(p)).isEqualTo(0xCAFEBABE);
        assertThat(Payload.publisher(p)).isEqualTo(123_456);
        assertThat(Payload.sequence(p)).isEqualTo(9_876_543_210L);
        assertThat(Payload.sentAt(p)).isEqualTo(-5L);
    }

    @Test
    void aPayloadIsNeverSmallerThanItsHeader() {
        assertThat(Payload.make(1, 1, 1, 1, 1)).hasSize(Payload.HEADER);
    }

    @Test
    void otherPayloadsAreNotTakenForBenchMessages() {
        assertThat(Payload.isBench("hello".getBytes())).isFalse();
        assertThat(Payload.isBench(new byte[40])).isFalse();
    }
}
