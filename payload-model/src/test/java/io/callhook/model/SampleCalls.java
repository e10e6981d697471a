package io.callhook.model;

import java.time.Instant;

/** Call events used by tests across the project, built field by field so tests read them easily. */
public final class SampleCalls {

    private SampleCalls() {
    }

    /** A CallKeeper call at its start, with every field the backend may send. */
    public static CallEvent callKeeperStarted(long callId) {
        return CallEvent.newBuilder()
                .setEventId("evt-" + callId + "-started")
                .setCallId(callId)
                .setAccountId(42L)
                .setProduct(Product.CALLKEEPER)
                .setPhase(CallPhase.STARTED)
                .setOccurredAt(Instant.parse("2018-12-04T12:14:54Z"))
                .setCallDate(Instant.parse("2018-12-04T12:14:54Z"))
                .setOrderDate(Instant.parse("2018-12-04T12:14:50Z"))
                .setWidgetHash("a1b2c3d4")
                .setWidgetName("custom css")
                .setVisitorId("visitor-" + callId)
                .setClientIp("95.165.1.10")
                .setSite("shop.example.ru")
                .setManagerPhone("+74951234567 [101]")
                .setClientPhone("+79161234567")
                .setManagerSipStatus(200)
                .setManagerSipReason("OK")
                .setClientSipStatus(200)
                .setClientSipReason("OK")
                .setDurationSec(0)
                .setAType(0)
                .setAsrAttempts(0)
                .setAttempt(1)
                .setPlaybackTick(0)
                .setRecordUrl("")
                .setTags(" ")
                .setEventSource("widget")
                .setGaClientId("GA1.2.111.222")
                .setYaClientId("1543925600123456789")
                .build();
    }
}
