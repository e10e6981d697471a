package io.callhook.demo;

import io.callhook.launch.ChildProcess;
import io.callhook.launch.JvmProfile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The three services run as in production: each its packaged jar in a JVM of its own,
 * configured only through environment variables. Any of them can be stopped gently, killed or
 * started again, which the demo and the end-to-end tests both need.
 */
public final class PipelineServices implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(PipelineServices.class);
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(120);

    /** A service: its module, its jar, and what it needs besides the common settings. */
    public enum Service {
        ENRICHER("enricher-stream"), DISPATCHER("dispatcher-worker"), STORE("subscription-store");

        final String module;

        Service(String module) {
            this.module = module;
        }

        Path jar(Path projectRoot) {
            return projectRoot.resolve(module).resolve("target").resolve(module + ".jar");
        }
    }

    private final Path projectRoot;
    private final Path logDir;
    private final Map<String, String> commonEnv;
    private final Map<Service, Map<String, String>> serviceEnv;
    private final Map<Service, Integer> opsPorts;
    private final JvmProfile jvm;
    private final Map<Service, ChildProcess> running = new EnumMap<>(Service.class);
    private final Map<Service, Integer> runs = new EnumMap<>(Service.class);
    private boolean closed;

    /**
     * @param commonEnv  settings every service gets (brokers, registry, topics, allowlist...)
     * @param serviceEnv settings of one service (application ids, state dirs, tokens...)
     * @param opsPorts   where each service's /health/ready answers
     */
    public PipelineServices(Path projectRoot, Path logDir, Map<String, String> commonEnv,
                            Map<Service, Map<String, String>> serviceEnv, Map<Service, Integer> opsPorts) {
        this(projectRoot, logDir, commonEnv, serviceEnv, opsPorts, JvmProfile.QUICK_START);
    }

    /** @param jvm how the services' JVMs are tuned: to be ready soon, or to be fast once warm */
    public PipelineServices(Path projectRoot, Path logDir, Map<String, String> commonEnv,
                            Map<Service, Map<String, String>> serviceEnv, Map<Service, Integer> opsPorts, JvmProfile jvm) {
        this.jvm = jvm;
        this.projectRoot = projectRoot;
        this.logDir = logDir;
        this.commonEnv = commonEnv;
        this.serviceEnv = serviceEnv;
        this.opsPorts = opsPorts;
    }

    /** Starts the services side by side (they only meet through topics) and waits until all are ready. */
    public void startAll() throws Exception {
        for (Service service : Service.values()) {
            launch(service);
        }
        for (Service service : Service.values()) {
            awaitReady(service);
        }
    }

    /** Starts one service and waits until it is ready. */
    public void start(Service service) throws Exception {
        launch(service);
        awaitReady(service);
    }

    /** Starts one service without waiting for it; see {@link #awaitReady}. */
    public synchronized void launch(Service service) throws IOException {
        // Once closed (e.g. by a Ctrl-C while the demo starts), nothing new may start: it would outlive us.
        if (closed) {
            throw new IllegalStateException("the services are being stopped; not starting " + service.module);
        }
        Map<String, String> env = new HashMap<>(commonEnv);
        env.putAll(serviceEnv.getOrDefault(service, Map.of()));
        env.put("CALLHOOK_OPS_PORT", Integer.toString(opsPorts.get(service)));
        int run = runs.merge(service, 1, Integer::sum);
        Files.createDirectories(logDir);
        ChildProcess process = ChildProcess.startJar(service.module, service.jar(projectRoot),
                jvmOptions(), List.of(), env, logDir.resolve(service.module + (run > 1 ? "-" + run : "") + ".log"));
        running.put(service, process);
    }

    private List<String> jvmOptions() {
        List<String> options = new ArrayList<>(List.of("-Xmx384m"));
        options.addAll(jvm.options());
        return options;
    }

    /** Waits until the service's /health/ready answers 200. */
    public void awaitReady(Service service) throws IOException, InterruptedException {
        process(service).awaitHttpOk(readyUrl(service), READY_TIMEOUT);
        LOG.info("{} ready (ops http://127.0.0.1:{}/)", service.module, opsPorts.get(service));
    }

    /** Where the service answers whether it is ready. */
    public String readyUrl(Service service) {
        return "http://127.0.0.1:" + opsPorts.get(service) + "/health/ready";
    }

    /** Stops a service the hard way: SIGKILL, as a crash or an OOM kill would. */
    public void kill(Service service) throws InterruptedException {
        ChildProcess process = remove(service);
        if (process != null) {
            process.kill();
        }
    }

    /** Stops a service gently: SIGTERM, then waits for it to commit, leave its group and exit. */
    public void stop(Service service) throws InterruptedException {
        ChildProcess process = remove(service);
        if (process != null) {
            process.close();
        }
    }

    /** CPU time the service's process has used so far. */
    public Duration cpu(Service service) {
        ChildProcess process = current(service);
        return process == null ? Duration.ZERO : process.cpu();
    }

    public boolean isRunning(Service service) {
        ChildProcess process = current(service);
        return process != null && process.isAlive();
    }

    public Path logOf(Service service) {
        ChildProcess process = current(service);
        return process == null ? logDir.resolve(service.module + ".log") : process.logFile();
    }

    /** The service's process, e.g. to find it again after its parent was killed. */
    public ProcessHandle handle(Service service) {
        return process(service).handle();
    }

    /**
     * Stops whatever runs, all at once (they are independent): SIGTERM to each, then waits for
     * each to finish its transactions and leave its group, SIGKILL for one that does not.
     */
    @Override
    public void close() throws InterruptedException {
        List<ChildProcess> stopping;
        synchronized (this) {
            closed = true;
            stopping = new ArrayList<>(running.values());
            running.clear();
        }
        stopping.forEach(ChildProcess::terminate);
        for (ChildProcess process : stopping) {
            process.close();
        }
    }

    private synchronized ChildProcess process(Service service) {
        ChildProcess process = running.get(service);
        if (process == null) {
            throw new IllegalStateException(service.module + " is not running");
        }
        return process;
    }

    private synchronized ChildProcess current(Service service) {
        return running.get(service);
    }

    private synchronized ChildProcess remove(Service service) {
        return running.remove(service);
    }
}
