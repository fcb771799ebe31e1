package io.emqx.extension.handler.codec;

/** The result code of the driver protocol: success (0) or failure (1). */
public enum ResultCode {
    SUC, FAIL;

    /** 0 for SUC, 1 for FAIL. */
    public int getValue() {
        return this == SUC ? 0 : 1;
    }
}
