package io.callhook.demo;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Which of the demo's fixed ports another process listens on already. The demo checks before it
 * starts anything: its readiness checks cannot tell its own broker, registry or services from
 * another process answering on the same port, so it would take a stray one (a demo on another
 * data folder, or processes an interrupted start left running) for its own part and run with it:
 * services joining another pipeline's consumer groups, a readiness answer from someone else.
 */
final class TakenPorts {

    private TakenPorts() {
    }

    /** "port (VARIABLE)" for each port of {@code ports} that cannot be listened on at 127.0.0.1. */
    static List<String> of(Map<String, Integer> ports) {
        List<String> taken = new ArrayList<>();
        ports.forEach((variable, port) -> {
            if (!free(port)) {
                taken.add(port + " (" + variable + ")");
            }
        });
        return taken;
    }

    private static boolean free(int port) {
        try (ServerSocket probe = new ServerSocket()) {
            probe.setReuseAddress(true);
            probe.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            return true;
        } catch (IOException inUse) {
            return false;
        }
    }
}
