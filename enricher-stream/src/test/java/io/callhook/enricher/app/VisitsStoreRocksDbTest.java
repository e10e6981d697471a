package io.callhook.enricher.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.callhook.testkit.ScratchDirs;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.LRUCache;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;

/** The visits store opens with the configured block cache; every other store keeps Kafka Streams' own. */
class VisitsStoreRocksDbTest {

    private static final long STREAMS_DEFAULT = 50L * 1024 * 1024;

    @Test
    void theVisitsStoreGetsTheConfiguredBlockCache() throws Exception {
        assertThat(blockCacheCapacity("visits", "64")).isEqualTo(64L * 1024 * 1024);
    }

    @Test
    void otherStoresKeepKafkaStreamsCache() throws Exception {
        assertThat(blockCacheCapacity("account-subscriptions", "64")).isEqualTo(STREAMS_DEFAULT);
        assertThat(blockCacheCapacity("pending-test-calls", "64")).isEqualTo(STREAMS_DEFAULT);
    }

    /** Opens a RocksDB as Kafka Streams does (its 50 MiB cache first, then the setter) and reads the capacity back. */
    private static long blockCacheCapacity(String store, String megabytes) throws Exception {
        RocksDB.loadLibrary();
        Path dir = ScratchDirs.create("visits-rocksdb");
        VisitsStoreRocksDb setter = new VisitsStoreRocksDb();
        try (LRUCache streamsCache = new LRUCache(STREAMS_DEFAULT); Options options = new Options().setCreateIfMissing(true)) {
            options.setTableFormatConfig(new BlockBasedTableConfig().setBlockCache(streamsCache));
            setter.setConfig(store, options, Map.of(VisitsStoreRocksDb.CACHE_MB, megabytes));
            try (RocksDB db = RocksDB.open(options, dir.toString())) {
                return Long.parseLong(db.getProperty("rocksdb.block-cache-capacity"));
            } finally {
                setter.close(store, options);
            }
        }
    }
}
