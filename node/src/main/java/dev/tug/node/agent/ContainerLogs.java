package dev.tug.node.agent;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;

/**
 * Container output kept by the agent: {@code <pod dir>/logs/<container>/<attempt>.log}, one
 * file per run, so {@code --previous} is the run before the newest.
 */
final class ContainerLogs {

    private ContainerLogs() {
    }

    /** The newest run's file, or the one before it. */
    static Optional<Path> file(Path podDirectory, String container, boolean previous) throws IOException {
        Path directory = podDirectory.resolve("logs").resolve(container);
        if (!Files.isDirectory(directory)) {
            return Optional.empty();
        }
        List<Path> runs;
        try (Stream<Path> files = Files.list(directory)) {
            runs = files.filter(f -> f.getFileName().toString().endsWith(".log"))
                    .sorted(Comparator.comparingInt(ContainerLogs::attempt).reversed()).toList();
        }
        int index = previous ? 1 : 0;
        return runs.size() > index ? Optional.of(runs.get(index)) : Optional.empty();
    }

    static int attempt(Path file) {
        String name = file.getFileName().toString();
        try {
            return Integer.parseInt(name.substring(0, name.length() - ".log".length()));
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /**
     * Copies the file (its last {@code tailLines} lines when given, at most {@code limitBytes});
     * with {@code follow}, keeps copying what is appended while {@code stillWriting} holds.
     */
    static void copy(Path file, OutputStream out, Integer tailLines, Long limitBytes, boolean follow,
            BooleanSupplier stillWriting) throws IOException, InterruptedException {
        long start = tailLines == null ? 0 : tailOffset(file, tailLines);
        long budget = limitBytes == null ? Long.MAX_VALUE : limitBytes;
        try (RandomAccessFile in = new RandomAccessFile(file.toFile(), "r")) {
            in.seek(start);
            byte[] buffer = new byte[16 * 1024];
            while (budget > 0) {
                int read = in.read(buffer, 0, (int) Math.min(buffer.length, budget));
                if (read > 0) {
                    out.write(buffer, 0, read);
                    budget -= read;
                    continue;
                }
                if (!follow) {
                    break;
                }
                out.flush();
                if (!stillWriting.getAsBoolean()) {
                    // one last read: the run may have written its final lines as it ended
                    int rest = in.read(buffer, 0, (int) Math.min(buffer.length, budget));
                    if (rest > 0) {
                        out.write(buffer, 0, rest);
                        continue;
                    }
                    break;
                }
                Thread.sleep(100);
            }
        }
        out.flush();
    }

    /** Where the last {@code lines} lines start. */
    private static long tailOffset(Path file, int lines) throws IOException {
        if (lines <= 0) {
            return Files.size(file);
        }
        Deque<Long> starts = new ArrayDeque<>();
        long position = 0;
        boolean lineStart = true;
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buffer = new byte[16 * 1024];
            int read;
            while ((read = in.read(buffer)) > 0) {
                for (int i = 0; i < read; i++) {
                    if (lineStart) {
                        starts.addLast(position + i);
                        if (starts.size() > lines) {
                            starts.removeFirst();
                        }
                    }
                    lineStart = buffer[i] == '\n';
                }
                position += read;
            }
        }
        return starts.isEmpty() ? position : starts.getFirst();
    }
}
