package io.callhook.testkit;

import io.vertx.core.Vertx;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * One Vert.x instance per test class, for tests with HTTP servers and clients on loopback: a
 * {@link Vertx} parameter of the test class's constructor or of any of its methods gets it, and
 * it is closed after the class's last test. Use with {@code @ExtendWith(SharedVertx.class)}.
 */
public final class SharedVertx implements ParameterResolver {

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(SharedVertx.class);

    /** Closes the instance with its class's context. */
    private record Closing(Vertx vertx) implements AutoCloseable {
        @Override
        public void close() {
            vertx.close().await();
        }
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == Vertx.class;
    }

    @Override
    public Vertx resolveParameter(ParameterContext parameter, ExtensionContext context) {
        ExtensionContext classContext = context;
        while (classContext.getTestMethod().isPresent() && classContext.getParent().isPresent()) {
            classContext = classContext.getParent().get();
        }
        return classContext.getStore(NAMESPACE).getOrComputeIfAbsent("vertx", key -> new Closing(Vertx.vertx()), Closing.class)
                .vertx();
    }
}
