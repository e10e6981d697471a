package io.callhook.body;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A subscription's renamed keys: documented dotted path (original names, e.g.
 * {@code visit_info.udata.uag}) to the name the customer wants ({@code user_agent}). A key is
 * renamed in place: its position and its children stay; renaming a group renames the object.
 * Only {@link #parse} makes one, so an instance is always valid.
 */
public final class KeyRenames {

    /** No key renamed: the documented body as is. */
    public static final KeyRenames NONE = new KeyRenames(Map.of());

    private final Map<String, String> byPath;
    private final RenameNode root;
    // Immutable, and a key of the enricher's rendered-body cache for every webhook: hashed once.
    private final int hash;

    private KeyRenames(Map<String, String> byPath) {
        this.byPath = Collections.unmodifiableMap(new TreeMap<>(byPath));
        this.root = RenameNode.compile(byPath);
        this.hash = this.byPath.hashCode();
    }

    /**
     * Checks and parses renames as stored in a subscription. Refused: a path that is not a
     * documented key, a new name that is not 1 to 64 ASCII letters, digits,
     * {@code _} or {@code -} starting with a letter or {@code _}, and two keys that would end up
     * with the same name in one object. A null map means no renames.
     */
    public static Validated<KeyRenames> parse(Map<String, String> renames) {
        if (renames == null || renames.isEmpty()) {
            return new Validated.Valid<>(NONE);
        }
        List<String> errors = new ArrayList<>();
        List<Map.Entry<String, String>> entries = new ArrayList<>(renames.entrySet());
        // Sorted so the same input always gives the same messages in the same order.
        entries.sort(Map.Entry.comparingByKey(Comparator.nullsFirst(Comparator.naturalOrder())));
        for (Map.Entry<String, String> entry : entries) {
            if (!DocumentedKeys.isDocumented(entry.getKey())) {
                errors.add("renames: " + quote(entry.getKey()) + " is not a documented key");
            } else if (!KeyNames.isValid(entry.getValue())) {
                errors.add("renames: " + quote(entry.getKey()) + " -> " + quote(entry.getValue())
                        + " is not a valid key name (" + KeyNames.RULE + ")");
            }
        }
        errors.addAll(collisions(renames));
        return errors.isEmpty() ? new Validated.Valid<>(new KeyRenames(renames)) : new Validated.Invalid<>(errors);
    }

    /** Documented path to new name, sorted by path. */
    public Map<String, String> asMap() {
        return byPath;
    }

    /** Whether no key is renamed. */
    public boolean isEmpty() {
        return byPath.isEmpty();
    }

    /**
     * The tree with its keys renamed. Objects without a renamed key below them are shared with
     * the input, not copied: this runs once per call and subscription.
     */
    Map<String, Object> apply(Map<String, Object> tree) {
        return root.hasChildren() ? root.rename(tree) : tree;
    }

    /** Final names under {@code parent} given raw renames; unknown paths in {@code renames} are ignored. */
    static List<String> namesUnder(String parent, Map<String, String> renames) {
        List<String> children = DocumentedKeys.children(parent);
        List<String> names = new ArrayList<>(children.size());
        for (String child : children) {
            String renamed = renames.get(child);
            names.add(renamed != null ? renamed : DocumentedKeys.nameOf(child));
        }
        return names;
    }

    private static List<String> collisions(Map<String, String> renames) {
        List<String> errors = new ArrayList<>();
        for (String parent : parents()) {
            List<String> children = DocumentedKeys.children(parent);
            List<String> names = namesUnder(parent, renames);
            Map<String, List<String>> pathsByName = new LinkedHashMap<>();
            for (int i = 0; i < children.size(); i++) {
                pathsByName.computeIfAbsent(names.get(i), n -> new ArrayList<>()).add(children.get(i));
            }
            pathsByName.forEach((name, paths) -> {
                if (paths.size() > 1) {
                    errors.add("renames: " + listOf(paths) + (paths.size() == 2 ? " would both" : " would all")
                            + " be named " + quote(name));
                }
            });
        }
        return errors;
    }

    private static List<String> parents() {
        List<String> parents = new ArrayList<>();
        parents.add(DocumentedKeys.TOP);
        for (String path : DocumentedKeys.paths()) {
            if (!DocumentedKeys.children(path).isEmpty()) {
                parents.add(path);
            }
        }
        return parents;
    }

    private static String listOf(List<String> paths) {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < paths.size(); i++) {
            if (i > 0) {
                text.append(i == paths.size() - 1 ? " and " : ", ");
            }
            text.append(quote(paths.get(i)));
        }
        return text.toString();
    }

    static String quote(String text) {
        return text == null ? "null" : '"' + text + '"';
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof KeyRenames renames && byPath.equals(renames.byPath);
    }

    @Override
    public int hashCode() {
        return hash;
    }

    @Override
    public String toString() {
        return "KeyRenames" + byPath;
    }

    /** The renames as a tree of original names, so renaming walks the body once without building paths. */
    private static final class RenameNode {

        private final Map<String, RenameNode> children = new HashMap<>();
        private String newName;

        static RenameNode compile(Map<String, String> byPath) {
            RenameNode root = new RenameNode();
            byPath.forEach((path, name) -> {
                RenameNode node = root;
                for (String segment : DocumentedKeys.segmentsOf(path)) {
                    node = node.children.computeIfAbsent(segment, s -> new RenameNode());
                }
                node.newName = name;
            });
            return root;
        }

        boolean hasChildren() {
            return !children.isEmpty();
        }

        @SuppressWarnings("unchecked")
        Map<String, Object> rename(Map<String, Object> object) {
            Map<String, Object> renamed = new LinkedHashMap<>(Math.max(16, object.size() * 2));
            for (Map.Entry<String, Object> entry : object.entrySet()) {
                RenameNode node = children.get(entry.getKey());
                if (node == null) {
                    renamed.put(entry.getKey(), entry.getValue());
                    continue;
                }
                Object value = entry.getValue();
                if (node.hasChildren() && value instanceof Map<?, ?> child) {
                    value = node.rename((Map<String, Object>) child);
                }
                renamed.put(node.newName != null ? node.newName : entry.getKey(), value);
            }
            return renamed;
        }
    }
}
