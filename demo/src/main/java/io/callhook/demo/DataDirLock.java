package io.callhook.demo;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * One demo per data folder. A second demo on the folder of a running one would start a second
 * broker on the first one's files, and Kafka in combined mode locks its log folder only after it
 * has loaded and written its metadata log: the two controllers then both write that log (seen on
 * the code: the first broker stopped on a {@code CorruptRecordException}, and the next
 * start cut the metadata log back). Before this, the second demo also took the first one's
 * processes, answering on the same ports, for its own.
 *
 * <p>The lock is the operating system's, on a file in the data folder ({@code --fresh} deletes all
 * but it), and it goes with the demo's process however that ends, SIGKILL included. The file holds
 * the holder's process id, for the message.
 */
final class DataDirLock {

    /** What trying the lock gave. */
    sealed interface Outcome permits Acquired, HeldBy {
    }

    /** This process holds the lock until it exits. */
    record Acquired(DataDirLock lock) implements Outcome {
    }

    /** Another live process holds it; {@code holder} is its process id as it wrote it, or "unknown". */
    record HeldBy(String holder) implements Outcome {
    }

    // Held for the life of the process: closing the channel (or its collection) would release the lock.
    private final FileChannel channel;
    private final FileLock lock;

    private DataDirLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    /** The lock file of a data folder. */
    static Path fileFor(Path dataDir) {
        return dataDir.toAbsolutePath().normalize().resolve("demo.lock");
    }

    static Outcome acquire(Path lockFile) throws IOException {
        Files.createDirectories(lockFile.toAbsolutePath().getParent());
        FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE);
        FileLock lock;
        try {
            lock = channel.tryLock();
        } catch (OverlappingFileLockException heldInThisProcess) {
            lock = null;
        }
        if (lock == null) {
            channel.close();
            String holder = Files.readString(lockFile, StandardCharsets.UTF_8).strip();
            return new HeldBy(holder.isEmpty() ? "unknown" : holder);
        }
        channel.truncate(0);
        channel.write(ByteBuffer.wrap(Long.toString(ProcessHandle.current().pid()).getBytes(StandardCharsets.UTF_8)), 0);
        channel.force(false);
        return new Acquired(new DataDirLock(channel, lock));
    }

    boolean held() {
        return lock.isValid() && channel.isOpen();
    }
}
