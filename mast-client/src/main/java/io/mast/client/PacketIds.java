package io.mast.client;

/**
 * Packet identifiers 1 to 65535 in use by the client's PUBLISH, SUBSCRIBE and UNSUBSCRIBE flows. Allocation goes
 * round-robin from the last one given, so an identifier just released is not reused at once. Confined to the
 * client's I/O thread.
 */
final class PacketIds {

    private final boolean[] used = new boolean[65_536];
    private int last;
    private int inUse;

    /** A free identifier marked used, or 0 when all 65535 are in use. */
    int allocate() {
        if (inUse == 65_535) {
            return 0;
        }
        int id = last;
        do {
            id = id == 65_535 ? 1 : id + 1;
        } while (used[id]);
        used[id] = true;
        last = id;
        inUse++;
        return id;
    }

    void release(int id) {
        if (id > 0 && used[id]) {
            used[id] = false;
            inUse--;
        }
    }

    int inUse() {
        return inUse;
    }
}
