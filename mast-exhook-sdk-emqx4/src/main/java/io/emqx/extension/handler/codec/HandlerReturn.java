package io.emqx.extension.handler.codec;

/** A value a handler returns to the driver. */
public interface HandlerReturn {

    /**
     * The value with a result code, as EMQX 4.x's driver protocol pairs them: a list of the code
     * ({@link ResultCode#getValue()}) and the value.
     */
    Object encode(ResultCode rc);
}
