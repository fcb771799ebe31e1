package io.mast.exhook;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The hook servers in call order. The list is replaced whole when an operator moves a server, so a decision or
 * notification that read it goes on with the order it read.
 */
final class ServerOrder {

    private volatile List<HookServer> servers;

    ServerOrder(List<HookServer> servers) {
        this.servers = List.copyOf(servers);
    }

    /** The servers, in call order. */
    List<HookServer> list() {
        return servers;
    }

    /** Their names, in call order. */
    List<String> names() {
        return servers.stream().map(s -> s.name).toList();
    }

    Optional<HookServer> find(String name) {
        return servers.stream().filter(s -> s.name.equals(name)).findFirst();
    }

    /**
     * Moves a server: {@code position} is {@code front}, {@code rear}, {@code before:<name>} or {@code after:<name>}
     * (EMQX's {@code POST /exhooks/{name}/move}). Returns the new order.
     *
     * @throws IllegalArgumentException for an unknown server or a malformed position
     */
    synchronized List<String> move(String server, String position) {
        HookServer moved = find(server).orElseThrow(() -> new IllegalArgumentException("no server named " + server));
        List<HookServer> order = new ArrayList<>(servers);
        order.remove(moved);
        int at;
        if ("front".equals(position)) {
            at = 0;
        } else if ("rear".equals(position)) {
            at = order.size();
        } else if (position != null && (position.startsWith("before:") || position.startsWith("after:"))) {
            boolean before = position.startsWith("before:");
            String other = position.substring(before ? 7 : 6);
            if (other.equals(server)) {
                throw new IllegalArgumentException("position: a server cannot move relative to itself");
            }
            HookServer target = find(other).orElseThrow(
                    () -> new IllegalArgumentException("position: no server named " + other));
            at = order.indexOf(target) + (before ? 0 : 1);
        } else {
            throw new IllegalArgumentException("position: expected front, rear, before:<name> or after:<name>, got "
                    + position);
        }
        order.add(at, moved);
        servers = List.copyOf(order);
        return names();
    }

    /**
     * Whether every server whose failure denies ({@code failed_action: deny}) is connected, or disabled by an
     * operator: the bridge's part of the broker's readiness ({@code /health/ready}).
     */
    boolean denyingServersReady() {
        return list().stream().filter(h -> h.failedAction() == ServerConfig.FailedAction.DENY)
                .allMatch(h -> h.status() == ServerStatus.CONNECTED || h.status() == ServerStatus.DISABLED);
    }
}
