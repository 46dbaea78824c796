package dev.tug.state;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileVisitResult;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * State in a directory. A write takes an exclusive lock on a lock file, checks the precondition against the
 * content hash and renames a temporary file into place, so readers never see half a file and two processes
 * cannot both win.
 */
public final class FileStateStore implements StateStore {
    private static final String LOCK_FILE = ".tug-lock";
    private static final String TEMP_SUFFIX = ".tug-tmp";

    /** File locks guard against other processes; this guards threads of this one, which file locks do not. */
    private static final ConcurrentHashMap<Path, Object> THREAD_LOCKS = new ConcurrentHashMap<>();

    private final Path root;
    private final Object threadLock;

    public FileStateStore(Path root) {
        this.root = root.toAbsolutePath().normalize();
        this.threadLock = THREAD_LOCKS.computeIfAbsent(this.root, r -> new Object());
    }

    @Override
    public String url() {
        return "file://" + root;
    }

    @Override
    public void checkReachable() {
        if (Files.exists(root) && !Files.isDirectory(root)) {
            throw new StateStoreException("state store " + url() + " is a file, not a directory");
        }
        Path existing = root;
        while (existing != null && !Files.exists(existing)) {
            existing = existing.getParent();
        }
        if (existing == null || !Files.isWritable(existing)) {
            throw new StateStoreException("state store " + url() + " is not writable"
                    + (existing == null ? "" : " (" + existing + " is read-only)"));
        }
    }

    @Override
    public Optional<Blob> read(String key) {
        Keys.check(key);
        try {
            byte[] data = Files.readAllBytes(root.resolve(key));
            return Optional.of(new Blob(data, hash(data)));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new StateStoreException("cannot read " + url() + "/" + key + ": " + e.getMessage(), e);
        }
    }

    @Override
    public String write(String key, byte[] data, Precondition precondition) {
        Keys.check(key);
        Path target = root.resolve(key);
        synchronized (threadLock) {
            return writeLocked(key, target, data, precondition);
        }
    }

    private String writeLocked(String key, Path target, byte[] data, Precondition precondition) {
        try (FileChannel lockChannel = lockChannel(); FileLock ignored = lockChannel.lock()) {
            String current = read(key).map(Blob::version).orElse(null);
            if (!precondition.allows(current)) {
                throw ConflictException.at(url(), key, precondition);
            }
            createPrivateDirectories(target.getParent());
            // createTempFile makes the file owner-only (0600): the store holds the CA key and secrets.
            Path temp = Files.createTempFile(target.getParent(), target.getFileName().toString(), TEMP_SUFFIX);
            try {
                Files.write(temp, data);
                move(temp, target);
            } finally {
                Files.deleteIfExists(temp);
            }
            return hash(data);
        } catch (IOException e) {
            throw new StateStoreException("cannot write " + url() + "/" + key + ": " + e.getMessage(), e);
        }
    }

    @Override
    public List<String> list(String prefix) {
        List<String> keys = new ArrayList<>();
        try {
            Files.walkFileTree(root, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) {
                    String key = root.relativize(file).toString().replace('\\', '/');
                    if (attributes.isRegularFile() && !key.equals(LOCK_FILE) && !key.endsWith(TEMP_SUFFIX)
                            && key.startsWith(prefix)) {
                        keys.add(key);
                    }
                    return FileVisitResult.CONTINUE;
                }

                /** A concurrent delete may remove a folder while we walk it; that is not an error. */
                @Override
                public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
                    if (e instanceof NoSuchFileException) {
                        return FileVisitResult.CONTINUE;
                    }
                    throw e;
                }
            });
        } catch (NoSuchFileException e) {
            return List.of();
        } catch (IOException e) {
            throw new StateStoreException("cannot list " + url() + ": " + e.getMessage(), e);
        }
        keys.sort(null);
        return keys;
    }

    @Override
    public void delete(String key) {
        Keys.check(key);
        synchronized (threadLock) {
            deleteLocked(key);
        }
    }

    private void deleteLocked(String key) {
        try (FileChannel lockChannel = lockChannel(); FileLock ignored = lockChannel.lock()) {
            Path file = root.resolve(key);
            Files.deleteIfExists(file);
            pruneEmptyParents(file.getParent());
        } catch (IOException e) {
            throw new StateStoreException("cannot delete " + url() + "/" + key + ": " + e.getMessage(), e);
        }
    }

    /** Leaves no empty directories behind, so a deleted cluster leaves nothing in the store. */
    private void pruneEmptyParents(Path dir) throws IOException {
        while (dir != null && dir.startsWith(root) && !dir.equals(root) && Files.isDirectory(dir)) {
            try (Stream<Path> entries = Files.list(dir)) {
                if (entries.findAny().isPresent()) {
                    return;
                }
            }
            Files.delete(dir);
            dir = dir.getParent();
        }
    }

    private void createPrivateDirectories(Path dir) throws IOException {
        if (Files.isDirectory(dir)) {
            return;
        }
        createPrivateDirectories(dir.getParent());
        try {
            Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        } catch (UnsupportedOperationException e) {
            Files.createDirectory(dir);
        } catch (java.nio.file.FileAlreadyExistsException e) {
            // Another writer made it first; that is fine.
        }
    }

    private FileChannel lockChannel() throws IOException {
        createPrivateDirectories(root);
        return FileChannel.open(root.resolve(LOCK_FILE), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    static String hash(byte[] data) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
