package io.callhook.body;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Set;

/**
 * An unmodifiable map over two arrays: keys fixed for every call (one body group's documented
 * names, in wire order) and this call's values (null allowed). Building the body then costs one
 * array per group instead of a hash map entry per key, and no hashing.
 */
final class FixedKeyMap extends AbstractMap<String, Object> {

    private final String[] keys;
    private final Object[] values;

    /** @param keys shared, never modified; @param values this map's own */
    FixedKeyMap(String[] keys, Object[] values) {
        this.keys = keys;
        this.values = values;
    }

    @Override
    public int size() {
        return keys.length;
    }

    /** The key at {@code index}, {@code 0 <= index < size()}, in wire order. */
    String keyAt(int index) {
        return keys[index];
    }

    /** The value of {@link #keyAt}. */
    Object valueAt(int index) {
        return values[index];
    }

    @Override
    public boolean containsKey(Object key) {
        return indexOf(key) >= 0;
    }

    @Override
    public Object get(Object key) {
        int index = indexOf(key);
        return index < 0 ? null : values[index];
    }

    private int indexOf(Object key) {
        for (int i = 0; i < keys.length; i++) {
            if (keys[i].equals(key)) {
                return i;
            }
        }
        return -1;
    }

    @Override
    public Set<Entry<String, Object>> entrySet() {
        return new AbstractSet<>() {
            @Override
            public int size() {
                return keys.length;
            }

            @Override
            public Iterator<Entry<String, Object>> iterator() {
                return new Iterator<>() {
                    private int next;

                    @Override
                    public boolean hasNext() {
                        return next < keys.length;
                    }

                    @Override
                    public Entry<String, Object> next() {
                        if (next >= keys.length) {
                            throw new NoSuchElementException();
                        }
                        int at = next++;
                        return new SimpleImmutableEntry<>(keys[at], values[at]);
                    }
                };
            }
        };
    }
}
