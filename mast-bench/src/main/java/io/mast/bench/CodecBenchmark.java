package io.mast.bench;

import io.mast.codec.MqttDecoder;
import io.mast.codec.MqttProperties;
import io.mast.codec.MqttVersion;
import io.mast.codec.Qos;
import io.mast.codec.encoder.PacketEncoder;
import io.mast.codec.packet.Publish;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Decoding and encoding one PUBLISH (QoS 1, topic of five levels) with the codec the broker and the client share, for
 * MQTT 3.1.1 and 5.0 (with a user property and a content type) and payloads of 64 bytes and 4 KB.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class CodecBenchmark {

    @Param({"MQTT_3_1_1", "MQTT_5"})
    public MqttVersion version;

    @Param({"64", "4096"})
    public int payloadSize;

    private final ByteBufAllocator alloc = PooledByteBufAllocator.DEFAULT;
    private Publish publish;
    private ByteBuf encoded;
    private MqttDecoder decoder;

    @Setup
    public void setUp() {
        MqttProperties props = version.isV5()
                ? MqttProperties.builder().contentType("application/json").addUserProperty("unit", "celsius").build()
                : MqttProperties.EMPTY;
        publish = new Publish(false, Qos.AT_LEAST_ONCE, false, "site/17/area/3/device/4711", 42, props,
                new byte[payloadSize]);
        encoded = PacketEncoder.encode(alloc, publish, version);
        decoder = new MqttDecoder(MqttDecoder.Role.SERVER, 1 << 20, version);
    }

    @TearDown
    public void tearDown() {
        encoded.release();
    }

    @Benchmark
    public Object decodePublish() {
        ByteBuf in = encoded.duplicate();
        return decoder.decodeOne(in);
    }

    @Benchmark
    public int encodePublish() {
        ByteBuf b = PacketEncoder.encode(alloc, publish, version);
        int n = b.readableBytes();
        b.release();
        return n;
    }
}
