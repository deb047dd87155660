package io.leadflow.platform;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.SecureRandom;
import java.util.Random;

import com.fasterxml.uuid.EthernetAddress;
import com.fasterxml.uuid.UUIDTimer;
import com.fasterxml.uuid.impl.TimeBasedGenerator;

/**
 * The engine's ids: time-based UUIDs as Camunda's default ({@code StrongUuidGenerator}) makes them,
 * in the same format and order, but with a random node address and clock sequence for each process.
 * <p>
 * Camunda's default takes the node address from the machine's network interface and seeds the
 * clock sequence with the time in milliseconds at which its first id is made. Two nodes on one
 * host whose first ids fall in the same millisecond therefore make the <b>same ids</b> for
 * everything they create in the same millisecond, and one of the two transactions fails on a
 * duplicate key (seen in the two-node test: 35 of 2,000 captures answered 500, "duplicate key value
 * violates unique constraint act_hi_varinst_pkey"). Here each process draws its own 47-bit node
 * address (a multicast address, which no network interface has, as RFC 4122 advises) and its own
 * clock sequence from {@link SecureRandom}.
 * <p>
 * The engine takes them through {@link CamundaInternals.NodeUniqueIdGenerator}, its id generator
 * (the Camunda starter's extension point, declared in {@link EngineExtensionsConfiguration}).
 */
public final class NodeUniqueIds {

    private final TimeBasedGenerator generator;

    public NodeUniqueIds() {
        this(new SecureRandom());
    }

    NodeUniqueIds(Random random) {
        this(EthernetAddress.constructMulticastAddress(random), timer(random));
    }

    NodeUniqueIds(EthernetAddress node, UUIDTimer timer) {
        this.generator = new TimeBasedGenerator(node, timer);
    }

    static UUIDTimer timer(Random random) {
        try {
            return new UUIDTimer(random, null);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // only a timestamp synchronizer does I/O, and there is none
        }
    }

    /** The node address in this process's ids (for the tests). */
    long node() {
        return generator.getEthernetAddress().toLong();
    }

    /** The next id: a time-based UUID as text, as Camunda's default writes it. */
    public String nextId() {
        return generator.generate().toString();
    }
}
