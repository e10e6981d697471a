package io.callhook.body;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The documented body of one call as an ordered tree: keys in wire order, nested objects as
 * maps, values {@link String}, {@link Integer}, {@link Long} or null. Built once per call and
 * rendered once per subscription, so it is immutable and safe to share between threads.
 *
 * <p>The tree's shape (which groups, which keys in which order) is the same for every call, so it
 * is worked out once from {@link DocumentedKeys#leaves()}; a call only fills in values.
 */
public final class WebhookBody {

    private static final Shape SHAPE = Shape.of(DocumentedKeys.leaves());

    private final Map<String, Object> tree;

    private WebhookBody(Map<String, Object> tree) {
        this.tree = tree;
    }

    /** The documented body of {@code call}; every documented key is present, unknown values null. */
    public static WebhookBody of(EnrichedCall call) {
        Object[][] values = new Object[SHAPE.keys.length][];
        for (int group = 0; group < values.length; group++) {
            values[group] = new Object[SHAPE.keys[group].length];
        }
        List<DocumentedKey> leaves = DocumentedKeys.leaves();
        for (int leaf = 0; leaf < leaves.size(); leaf++) {
            values[SHAPE.leafGroup[leaf]][SHAPE.leafSlot[leaf]] = leaves.get(leaf).valueOf(call);
        }
        // Children come after their parents in the shape: link them bottom-up.
        for (int group = values.length - 1; group > 0; group--) {
            values[SHAPE.parentGroup[group]][SHAPE.parentSlot[group]] = new FixedKeyMap(SHAPE.keys[group], values[group]);
        }
        return new WebhookBody(new FixedKeyMap(SHAPE.keys[0], values[0]));
    }

    /** The tree, unmodifiable at every level. */
    public Map<String, Object> tree() {
        return tree;
    }

    @Override
    public String toString() {
        return tree.toString();
    }

    /**
     * Groups in order of first appearance (0 is the top), each with its keys in wire order; where
     * each leaf's value goes; where each group sits in its parent.
     */
    private record Shape(String[][] keys, int[] leafGroup, int[] leafSlot, int[] parentGroup, int[] parentSlot) {

        static Shape of(List<DocumentedKey> leaves) {
            Map<String, Integer> groups = new LinkedHashMap<>();
            List<List<String>> keys = new ArrayList<>();
            List<int[]> parents = new ArrayList<>();
            groups.put("", 0);
            keys.add(new ArrayList<>());
            parents.add(new int[] {-1, -1});
            int[] leafGroup = new int[leaves.size()];
            int[] leafSlot = new int[leaves.size()];
            for (int leaf = 0; leaf < leaves.size(); leaf++) {
                List<String> segments = leaves.get(leaf).segments();
                int group = 0;
                String path = "";
                for (String segment : segments.subList(0, segments.size() - 1)) {
                    path = path.isEmpty() ? segment : path + '.' + segment;
                    Integer child = groups.get(path);
                    if (child == null) {
                        child = keys.size();
                        groups.put(path, child);
                        keys.add(new ArrayList<>());
                        parents.add(new int[] {group, keys.get(group).size()});
                        keys.get(group).add(segment);
                    }
                    group = child;
                }
                leafGroup[leaf] = group;
                leafSlot[leaf] = keys.get(group).size();
                keys.get(group).add(segments.get(segments.size() - 1));
            }
            String[][] keyArrays = new String[keys.size()][];
            int[] parentGroup = new int[keys.size()];
            int[] parentSlot = new int[keys.size()];
            for (int group = 0; group < keys.size(); group++) {
                keyArrays[group] = keys.get(group).toArray(String[]::new);
                parentGroup[group] = parents.get(group)[0];
                parentSlot[group] = parents.get(group)[1];
            }
            return new Shape(keyArrays, leafGroup, leafSlot, parentGroup, parentSlot);
        }
    }
}
