package io.emqx.extension.exceptions;

/** A hook argument that cannot be read, as EMQX 4.x's SDK reported it. Mast's driver converts arguments itself. */
public class InvalidParameterException extends Exception {

    private static final long serialVersionUID = 1L;

    public InvalidParameterException(String message) {
        super(message);
    }
}
