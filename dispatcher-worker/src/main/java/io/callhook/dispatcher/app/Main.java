package io.callhook.dispatcher.app;

import io.callhook.dispatcher.publish.Publisher;
import io.callhook.domain.DeadLetterReplayer;
import io.callhook.model.DeadLetter;
import io.callhook.serde.AvroSerdes;
import io.callhook.serde.AvroTrust;
import io.callhook.service.AllowedAddresses;
import io.callhook.service.ConfigLoader;
import io.callhook.service.FatalStop;
import io.callhook.service.HostPort;
import io.callhook.service.ServiceLaunch;
import io.callhook.service.kafka.KafkaSettings;
import io.callhook.topic.Topics;
import java.time.Instant;
import java.util.Arrays;
import java.util.Map;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import picocli.CommandLine;

/**
 * {@code java -jar dispatcher-worker.jar [--config file]} runs the dispatcher;
 * {@code java -jar dispatcher-worker.jar replay --subscription ID [--from T] [--to T]} sends
 * that subscription's dead letters back into delivery. The only place that wires the parts.
 * SIGTERM and SIGINT close it in order (the consumer commits finished work and leaves its group
 * first); a start that fails exits with status 1 instead of leaving a process never ready.
 */
public final class Main {


    private Main() {
    }

    public static void main(String[] args) {
        AvroTrust.install();
        if (args.length > 0 && args[0].equals("replay")) {
            System.exit(new CommandLine(new Replay()).execute(Arrays.copyOfRange(args, 1, args.length)));
        }
        ConfigLoader.Loaded<DispatcherConfig> startup = ConfigLoader.loadOrExit(DispatcherConfig.keys(), args, DispatcherConfig::from);
        DispatcherConfig config = startup.settings();
        ServiceLaunch.run("dispatcher", "Dispatcher", startup.config(), new HostPort(config.opsHost(), config.opsPort()),
                "dispatcher", DispatcherApp::readiness, context -> {
                    context.readyOnlyWhileBrokersAnswer(config.kafka());
                    DispatcherApp started = DispatcherApp.start(config, AllowedAddresses.policy(context.config()), context.vertx(),
                            context.metrics());
                    FatalStop fatal = FatalStop.exitingJvm(context.ops());
                    started.loopFailure().thenAccept(cause -> fatal.stop("dispatch loop", cause));
                    return started;
                });
    }

    /** The replay command, for operators and scripts. */
    @CommandLine.Command(name = "replay", mixinStandardHelpOptions = true,
            description = "Send a subscription's dead-lettered webhooks back into delivery (configuration as for the dispatcher).")
    static final class Replay implements java.util.concurrent.Callable<Integer> {

        @CommandLine.Option(names = "--subscription", required = true, description = "Subscription id")
        String subscription;

        @CommandLine.Option(names = "--from", description = "Died at or after (ISO-8601, default: the beginning)")
        Instant from = Instant.EPOCH;

        @CommandLine.Option(names = "--to", description = "Died before (ISO-8601, default: now)")
        Instant to = Instant.now();

        @CommandLine.Option(names = "--config", description = "Configuration file")
        String configFile;

        @Override
        public Integer call() {
            String[] args = configFile == null ? new String[0] : new String[] {"--config", configFile};
            KafkaSettings kafka = KafkaSettings.from(ConfigLoader.loadFromSystem(KafkaSettings.keys(), args));
            AvroSerdes serdes = new AvroSerdes(kafka.registry());
            Topics topics = new Topics(kafka.topics(), serdes);
            try (KafkaConsumer<String, DeadLetter> consumer = new KafkaConsumer<>(kafka.clientConfig(Map.of()),
                    new StringDeserializer(), topics.deadLetters().valueSerde().deserializer());
                 Publisher publisher = new Publisher(new KafkaProducer<>(kafka.clientConfig(Map.of(
                         ProducerConfig.ACKS_CONFIG, "all")), new StringSerializer(), new ByteArraySerializer()), topics)) {
                int count = new DeadLetterReplayer(consumer, topics.deadLetters().name(), publisher::outbound).replay(subscription, from, to);
                System.out.println("Replayed " + count + " webhooks of subscription " + subscription);
                return 0;
            }
        }
    }
}
