package io.callhook.store.stats;

import io.callhook.model.DeliveryAttempt;
import io.callhook.model.SubscriptionStats;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.WebClient;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.HostInfo;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/**
 * Subscriptions' stats wherever they are kept. Each instance of the store holds the stats of
 * the partitions it was assigned; a question about another's is forwarded to that instance's
 * internal endpoint (one request per instance), so any instance answers for any subscription.
 */
public final class StatsQueries {

    /** Path of the internal endpoint the instances answer each other on. */
    public static final String INTERNAL_PATH = "/internal/v1/stats";
    /** Path of the internal endpoint that answers a page of an attempt log kept by the instance asked. */
    public static final String INTERNAL_ATTEMPTS_PATH = "/internal/v1/attempts";

    private final KafkaStreams streams;
    private final HostInfo self;
    private final WebClient client;
    private final String internalToken;

    public StatsQueries(KafkaStreams streams, HostInfo self, WebClient client, String internalToken) {
        this.streams = streams;
        this.self = self;
        this.client = client;
        this.internalToken = internalToken;
    }

    /**
     * Stats by subscription id. An id missing from the result could not be answered right
     * now (its partition is moving between instances); a subscription without attempts yet gets
     * zero counters. The future fails, and nothing is thrown, when Kafka Streams cannot say where
     * any id is kept (not running yet, or stopped).
     */
    public Future<Map<String, SubscriptionStats>> find(Collection<String> ids) {
        // Every caller answers from the future: an exception thrown here instead would leave its
        // HTTP request unanswered.
        try {
            return findOrThrow(ids);
        } catch (RuntimeException e) {
            return Future.failedFuture(e);
        }
    }

    private Future<Map<String, SubscriptionStats>> findOrThrow(Collection<String> ids) {
        Map<HostInfo, List<String>> byHost = new HashMap<>();
        for (String id : ids) {
            KeyQueryMetadata metadata = streams.queryMetadataForKey(StatsTopology.STATS_STORE, id, Serdes.String().serializer());
            if (metadata != null && !KeyQueryMetadata.NOT_AVAILABLE.equals(metadata)) {
                byHost.computeIfAbsent(metadata.activeHost(), host -> new ArrayList<>()).add(id);
            }
        }
        Map<String, SubscriptionStats> found = new HashMap<>();
        List<Future<Void>> remote = new ArrayList<>();
        for (Map.Entry<HostInfo, List<String>> entry : byHost.entrySet()) {
            if (entry.getKey().equals(self)) {
                found.putAll(local(entry.getValue()));
            } else {
                remote.add(fetch(entry.getKey(), entry.getValue()).map(stats -> {
                    synchronized (found) {
                        found.putAll(stats);
                    }
                    return null;
                }));
            }
        }
        return Future.join(remote).transform(done -> Future.succeededFuture(found));
    }

    /**
     * Stats kept by this instance; ids it does not hold, or cannot read right now, are left out.
     */
    public Map<String, SubscriptionStats> local(Collection<String> ids) {
        Map<String, SubscriptionStats> found = new HashMap<>();
        try {
            ReadOnlyKeyValueStore<String, SubscriptionStats> store = streams.store(StoreQueryParameters.fromNameAndType(
                    StatsTopology.STATS_STORE, QueryableStoreTypes.keyValueStore()));
            for (String id : ids) {
                KeyQueryMetadata metadata = streams.queryMetadataForKey(StatsTopology.STATS_STORE, id, Serdes.String().serializer());
                if (metadata != null && self.equals(metadata.activeHost())) {
                    SubscriptionStats stats = store.get(id);
                    found.put(id, stats == null ? Stats.empty(id) : stats);
                }
            }
        } catch (InvalidStateStoreException notQueryableNow) {
            // A rebalance is under way: the store handle is had at once, but each read throws
            // until the stream thread runs again. The ids not read yet are left out.
        }
        return found;
    }

    /**
     * A page of a subscription's attempt log, from whichever instance keeps it; empty when it
     * cannot be read right now (its partition is moving between instances, or that instance does
     * not answer).
     */
    public Future<Optional<AttemptLog.Page>> attempts(AttemptLog.Query query) {
        try {
            KeyQueryMetadata metadata = streams.queryMetadataForKey(StatsTopology.LOG_STORE, query.subscriptionId(),
                    Serdes.String().serializer());
            if (metadata == null || KeyQueryMetadata.NOT_AVAILABLE.equals(metadata)) {
                return Future.succeededFuture(Optional.empty());
            }
            if (metadata.activeHost().equals(self)) {
                return Future.succeededFuture(readLocal(query));
            }
            return client.post(metadata.activeHost().port(), metadata.activeHost().host(), INTERNAL_ATTEMPTS_PATH)
                    .putHeader("Authorization", "Bearer " + internalToken)
                    .putHeader("Content-Type", "application/json")
                    .timeout(5000)
                    .sendBuffer(Buffer.buffer(AttemptPages.query(query).toString()))
                    .map(response -> response.statusCode() == 200 ? AttemptPages.page(response.bodyAsString()) : Optional.<AttemptLog.Page>empty())
                    .otherwise(failure -> Optional.empty());
        } catch (RuntimeException e) {
            return Future.failedFuture(e);
        }
    }

    /** A page of an attempt log this instance keeps; empty when it does not keep it or cannot read it now. */
    public Optional<AttemptLog.Page> localAttempts(AttemptLog.Query query) {
        try {
            KeyQueryMetadata metadata = streams.queryMetadataForKey(StatsTopology.LOG_STORE, query.subscriptionId(),
                    Serdes.String().serializer());
            return metadata != null && self.equals(metadata.activeHost()) ? readLocal(query) : Optional.empty();
        } catch (InvalidStateStoreException notQueryableNow) {
            return Optional.empty();
        }
    }

    /** The page from this instance's store, known to hold the subscription's partition. */
    private Optional<AttemptLog.Page> readLocal(AttemptLog.Query query) {
        try {
            ReadOnlyKeyValueStore<String, DeliveryAttempt> store = streams.store(StoreQueryParameters.fromNameAndType(
                    StatsTopology.LOG_STORE, QueryableStoreTypes.keyValueStore()));
            return Optional.of(AttemptLog.read(store, query));
        } catch (InvalidStateStoreException notQueryableNow) {
            // A rebalance is under way: read again once it is over.
            return Optional.empty();
        }
    }

    private Future<Map<String, SubscriptionStats>> fetch(HostInfo host, List<String> ids) {
        return client.post(host.port(), host.host(), INTERNAL_PATH)
                .putHeader("Authorization", "Bearer " + internalToken)
                .putHeader("Content-Type", "application/json")
                .timeout(5000)
                .sendBuffer(Buffer.buffer(StatsAnswers.question(ids)))
                .map(response -> response.statusCode() == 200 ? StatsAnswers.read(response.bodyAsString())
                        : Map.<String, SubscriptionStats>of())
                .otherwise(failure -> Map.of());
    }
}
