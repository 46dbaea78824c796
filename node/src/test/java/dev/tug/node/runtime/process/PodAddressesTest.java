package dev.tug.node.runtime.process;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class PodAddressesTest {

    @Test
    void handsOutHostsAfterTheGatewayUntilTheRangeIsFull() {
        PodAddresses addresses = new PodAddresses(() -> "127.128.3.0/30");
        assertEquals("127.128.3.2", addresses.allocate());
        IllegalStateException full = assertThrows(IllegalStateException.class, addresses::allocate);
        assertEquals("no free pod address left in 127.128.3.0/30", full.getMessage());
        addresses.release("127.128.3.2");
        assertEquals("127.128.3.2", addresses.allocate());
    }

    @Test
    void skipsClaimedAddressesAndRefusesAMissingRange() {
        PodAddresses addresses = new PodAddresses(() -> "127.128.4.0/24");
        addresses.claim("127.128.4.2");
        assertEquals("127.128.4.3", addresses.allocate());
        assertThrows(IllegalStateException.class, () -> new PodAddresses(() -> null).allocate());
    }
}
