package io.callhook.enricher.check;

import io.callhook.body.Validated;
import io.callhook.model.VisitSnapshot;
import java.util.ArrayList;
import java.util.List;

/** A visit snapshot must be filed under its own visitor id, the key calls look it up by. */
public final class VisitRule implements RecordRule<VisitSnapshot> {

    @Override
    public Validated<VisitSnapshot> check(String key, VisitSnapshot visit) {
        List<String> errors = new ArrayList<>();
        if (visit.getVisitorId() == null || visit.getVisitorId().isBlank()) {
            errors.add("visitorId: missing");
        } else if (!visit.getVisitorId().equals(key)) {
            errors.add("visitorId: '" + visit.getVisitorId() + "' differs from the record key '" + key + "'");
        }
        if (visit.getPagesViewed() != null && visit.getPagesViewed() < 0) {
            errors.add("pagesViewed: " + visit.getPagesViewed() + " is negative");
        }
        if (visit.getVisitNumber() != null && visit.getVisitNumber() < 0) {
            errors.add("visitNumber: " + visit.getVisitNumber() + " is negative");
        }
        return errors.isEmpty() ? new Validated.Valid<>(visit) : new Validated.Invalid<>(errors);
    }
}
