package io.emqx.extension.handler.codec;

/** A hook argument type. */
public interface HandlerParameter {
}
