package io.callhook.service;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class MetricsTest {

    @Test
    void everyMeterIsTaggedWithTheServiceAndJvmMetersAreBound() {
        try (Metrics metrics = Metrics.create("dispatcher-worker")) {
            metrics.registry().counter("callhook.test.events").increment();

            String scrape = metrics.registry().scrape();

            assertThat(scrape).contains("callhook_test_events_total{service=\"dispatcher-worker\"} 1.0");
            assertThat(scrape).contains("jvm_memory_used_bytes{", "jvm_threads_live_threads{", "jvm_classes_loaded_classes{",
                    "system_cpu_count{", "jvm_gc_memory_allocated_bytes_total{", "process_uptime_seconds{", "process_files_open_files{", "jvm_info{");
            assertThat(metrics.registry().get("jvm.memory.used").gauges())
                    .allSatisfy(g -> assertThat(g.getId().getTag("service")).isEqualTo("dispatcher-worker"));
        }
    }
}
