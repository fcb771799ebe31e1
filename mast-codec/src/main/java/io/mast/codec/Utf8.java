package io.mast.codec;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Well-formed UTF-8 as MQTT requires it (section 1.5.4): no ill-formed sequences, no overlong forms, no
 * surrogates, nothing above U+10FFFF, and no U+0000.
 */
public final class Utf8 {

    private static final ThreadLocal<CharsetDecoder> DECODER = ThreadLocal.withInitial(() ->
            StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT));

    private Utf8() {
    }

    /**
     * Decodes MQTT UTF-8, or returns {@code null} when the bytes are ill-formed or contain U+0000.
     */
    public static String decode(byte[] bytes, int offset, int length) {
        boolean ascii = true;
        for (int i = offset, end = offset + length; i < end; i++) {
            byte b = bytes[i];
            if (b == 0) {
                return null;
            }
            if (b < 0) {
                ascii = false;
            }
        }
        if (ascii) {
            return new String(bytes, offset, length, StandardCharsets.ISO_8859_1);
        }
        try {
            CharBuffer chars = DECODER.get().reset().decode(ByteBuffer.wrap(bytes, offset, length));
            return chars.toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }

    /** True when the payload is well-formed UTF-8 (as a Payload Format Indicator of 1 promises). */
    public static boolean isValid(byte[] bytes) {
        return decode(bytes, 0, bytes.length) != null;
    }
}
