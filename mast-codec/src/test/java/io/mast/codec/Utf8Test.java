package io.mast.codec;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBufUtil;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** MQTT's UTF-8 (section 1.5.4): well-formed, no surrogates, nothing above U+10FFFF, no U+0000. */
class Utf8Test {

    private static byte[] hex(String hex) {
        return ByteBufUtil.decodeHexDump(hex.replace(" ", ""));
    }

    private static String decode(byte[] bytes) {
        return Utf8.decode(bytes, 0, bytes.length);
    }

    @ParameterizedTest
    @CsvSource({
        "'', ''",
        "61, a",
        "7F, \u007F",
        "C2 80, \u0080",
        "C3 A9, é",
        "DF BF, \u07FF",
        "E0 A0 80, \u0800",
        "E2 82 AC, €",
        "ED 9F BF, \uD7FF",
        "EE 80 80, \uE000",
        "EF BB BF, \uFEFF",
        "EF BF BF, \uFFFF",
        "F0 90 80 80, \uD800\uDC00",
        "F0 9F 98 80, 😀",
        "F4 8F BF BF, \uDBFF\uDFFF",
        "4D 51 54 54 2F C3 BC 2F E2 82 AC, MQTT/ü/€",
    })
    void wellFormedUtf8IsDecoded(String bytes, String expected) {
        assertThat(decode(hex(bytes))).isEqualTo(expected);
        assertThat(Utf8.isValid(hex(bytes))).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "C0 80", "C0 AF", "C1 BF",           // overlong two-byte forms (of U+0000, '/', U+007F)
        "E0 80 80", "E0 80 AF", "E0 9F BF",  // overlong three-byte forms
        "F0 80 80 80", "F0 8F BF BF",        // overlong four-byte forms
    })
    void overlongFormsAreRejected(String bytes) {
        assertThat(decode(hex(bytes))).isNull();
        assertThat(Utf8.isValid(hex(bytes))).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"ED A0 80", "ED AD BF", "ED B0 80", "ED BF BF", "ED A0 80 ED B0 80", "61 ED A0 80 62"})
    void encodedSurrogatesAreRejected(String bytes) {
        assertThat(decode(hex(bytes))).isNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {"F4 90 80 80", "F4 BF BF BF", "F5 80 80 80", "F7 BF BF BF", "F8 88 80 80 80", "FC 84 80 80 80 80"})
    void codePointsAboveU10FFFFAreRejected(String bytes) {
        assertThat(decode(hex(bytes))).isNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {"00", "61 00", "00 61", "C3 A9 00", "E2 82 AC 00 E2 82 AC"})
    void u0000IsRejected(String bytes) {
        assertThat(decode(hex(bytes))).isNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "80", "BF", "61 80",                 // continuation bytes without a lead byte
        "C3", "E2 82", "F0 9F 98",           // truncated sequences
        "C3 28", "E2 28 A1", "F0 28 8C BC",  // lead bytes followed by a non-continuation byte
        "FE", "FF", "FF FE",                 // bytes that never occur in UTF-8
    })
    void illFormedSequencesAreRejected(String bytes) {
        assertThat(decode(hex(bytes))).isNull();
    }

    @Test
    void decodesTheGivenRangeOnly() {
        byte[] bytes = {0, (byte) 0xC3, (byte) 0xA9, 'x', 0};
        assertThat(Utf8.decode(bytes, 1, 3)).isEqualTo("éx");
        assertThat(Utf8.decode(bytes, 1, 1)).as("a range that cuts a sequence").isNull();
        assertThat(Utf8.decode(bytes, 0, 2)).isNull();
        assertThat(Utf8.decode(bytes, 3, 1)).isEqualTo("x");
    }

    @Test
    void everyBmpCharacterOtherThanU0000AndSurrogatesRoundTrips() {
        StringBuilder sb = new StringBuilder();
        for (char c = 1; c < 0xFFFF; c++) {
            if (!Character.isSurrogate(c)) {
                sb.append(c);
            }
        }
        sb.append('\uFFFF');
        String all = sb.toString();
        assertThat(decode(all.getBytes(StandardCharsets.UTF_8))).isEqualTo(all);
    }

    @Test
    void decoderStateDoesNotLeakBetweenCalls() {
        assertThat(decode(hex("E2 82"))).isNull();
        assertThat(decode(hex("AC"))).isNull();
        assertThat(decode(hex("E2 82 AC"))).isEqualTo("€");
    }
}
