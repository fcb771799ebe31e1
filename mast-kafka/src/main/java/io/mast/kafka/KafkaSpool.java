package io.mast.kafka;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;

/**
 * The records the bridge still held when the broker stopped, in a file of {@code spool_dir}
 * ({@code kafka-spool.bin}), read back and sent first when it starts again. The file is written whole to a temporary
 * name and renamed, so a stop during the write leaves the previous file or none, never half of one; it is deleted
 * once read.
 */
final class KafkaSpool {

    private static final int MAGIC = 0x4d4b5331;   // "MKS1"

    private final Path file;

    KafkaSpool(Path dir) throws IOException {
        Files.createDirectories(dir);
        this.file = dir.resolve("kafka-spool.bin");
    }

    Path file() {
        return file;
    }

    /** Writes {@code records} (replacing a previous spool: {@link #take()} was called at startup). */
    void write(List<ProducerRecord<byte[], byte[]>> records) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(tmp)))) {
            out.writeInt(MAGIC);
            out.writeInt(records.size());
            for (ProducerRecord<byte[], byte[]> r : records) {
                out.writeUTF(r.topic());
                bytes(out, r.key());
                bytes(out, r.value());
                out.writeLong(r.timestamp() == null ? -1 : r.timestamp());
                Header[] headers = r.headers().toArray();
                out.writeInt(headers.length);
                for (Header h : headers) {
                    out.writeUTF(h.key());
                    bytes(out, h.value());
                }
            }
        }
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** The spooled records, in order, and the file deleted; empty when there is none. */
    List<ProducerRecord<byte[], byte[]>> take() throws IOException {
        if (!Files.exists(file)) {
            return List.of();
        }
        List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file)))) {
            if (in.readInt() != MAGIC) {
                throw new IOException(file + " is not a Mast Kafka spool file");
            }
            int n = in.readInt();
            for (int i = 0; i < n; i++) {
                String topic = in.readUTF();
                byte[] key = bytes(in);
                byte[] value = bytes(in);
                long ts = in.readLong();
                int hn = in.readInt();
                List<Header> headers = new ArrayList<>(hn);
                for (int j = 0; j < hn; j++) {
                    headers.add(new RecordHeader(in.readUTF(), bytes(in)));
                }
                records.add(new ProducerRecord<>(topic, null, ts < 0 ? null : ts, key, value, headers));
            }
        }
        Files.delete(file);
        return records;
    }

    private static void bytes(DataOutputStream out, byte[] b) throws IOException {
        out.writeInt(b == null ? -1 : b.length);
        if (b != null) {
            out.write(b);
        }
    }

    private static byte[] bytes(DataInputStream in) throws IOException {
        int n = in.readInt();
        if (n < 0) {
            return null;
        }
        byte[] b = new byte[n];
        in.readFully(b);
        return b;
    }
}
