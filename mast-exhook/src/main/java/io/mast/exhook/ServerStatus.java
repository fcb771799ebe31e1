package io.mast.exhook;

/**
 * The state of a hook server, as the gauge {@code exhook.<server>.status} reports it (the number in brackets) and as
 * the broker logs each change.
 */
public enum ServerStatus {
    /** (0) No address is loaded: decisions follow {@code failed_action}, notifications are not sent. */
    DISCONNECTED,
    /** (1) The first OnProviderLoaded is under way. */
    CONNECTING,
    /** (2) At least one address answered OnProviderLoaded and is called. */
    CONNECTED,
    /** (3) {@code enable: false}: never called. */
    DISABLED;

    /** The value of the status gauge. */
    public int gaugeValue() {
        return ordinal();
    }

    /** The status as logs and docs write it: {@code connected}, {@code connecting} ... */
    @Override
    public String toString() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
