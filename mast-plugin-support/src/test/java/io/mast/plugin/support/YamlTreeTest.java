package io.mast.plugin.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class YamlTreeTest {

    @Test
    void notesTheLineOfEveryKeyAndListItem() throws Exception {
        YamlTree tree = YamlTree.parse("""
                listeners:
                  - port: 1883
                  - port: 8883
                    tls:
                      cert: a.pem
                limits:
                  max_packet_size: 1024
                """, "top");
        assertThat(tree.root().at("/listeners/1/tls/cert").asText()).isEqualTo("a.pem");
        assertThat(tree.root().at("/limits/max_packet_size").asLong()).isEqualTo(1024);
        assertThat(tree.line("listeners")).isEqualTo(1);
        assertThat(tree.line("listeners[1]")).isEqualTo(3);
        assertThat(tree.line("listeners[1].tls.cert")).isEqualTo(5);
        assertThat(tree.line("limits.max_packet_size")).isEqualTo(7);
        assertThat(tree.line("nothing")).isNull();
        assertThat(tree.linesUnder("listeners[1].tls")).containsEntry("", 4).containsEntry("cert", 5).hasSize(2);
    }

    @Test
    void anEmptyDocumentIsAnEmptyMapping() throws Exception {
        assertThat(YamlTree.parse("", "top").root().isEmpty()).isTrue();
        assertThat(YamlTree.parse("# only a comment\n", "top").root().isEmpty()).isTrue();
    }

    @Test
    void aTopLevelThatIsNotAMappingIsToldWhatIsExpected() {
        assertThatThrownBy(() -> YamlTree.parse("\n- a\n- b\n", "expected a mapping"))
                .isInstanceOfSatisfying(YamlTree.InvalidYaml.class, e -> {
                    assertThat(e.line()).isEqualTo(2);
                    assertThat(e.getMessage()).isEqualTo("expected a mapping");
                });
    }

    @Test
    void brokenYamlNamesItsLine() {
        assertThatThrownBy(() -> YamlTree.parse("a: 1\nb: [1, 2\nc: 3\n", "top"))
                .isInstanceOfSatisfying(YamlTree.InvalidYaml.class, e -> {
                    assertThat(e.line()).isGreaterThanOrEqualTo(2);
                    assertThat(e.getMessage()).startsWith("not valid YAML: ");
                });
    }

    /** Found by ConfigLoaderFuzzTest: a byte that is not UTF-8 named neither line nor column ("Input length = 1"). */
    @Test
    void bytesThatAreNotUtf8NameTheirLineAndColumn() throws Exception {
        assertThat(YamlTree.utf8("a: é\r\nb: ✓\n".getBytes(java.nio.charset.StandardCharsets.UTF_8))).isEqualTo("a: é\r\nb: ✓\n");
        byte[] latin1 = "a: 1\r\nb: 2\rname: Jos\u00e9\n".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        assertThatThrownBy(() -> YamlTree.utf8(latin1)).isInstanceOfSatisfying(YamlTree.InvalidYaml.class, e -> {
            assertThat(e.line()).isEqualTo(3);
            assertThat(e.getMessage()).isEqualTo("not valid UTF-8 (byte 0xE9 at column 10); save the file as UTF-8");
        });
        assertThatThrownBy(() -> YamlTree.utf8(new byte[] {'a', ':', ' ', (byte) 0xE2, (byte) 0x9C}))
                .hasMessageStartingWith("not valid UTF-8 (byte 0xE2 at column 4)");
    }

    @Test
    void aValueKeepsItsYamlType() {
        assertThat(YamlTree.value("1884").isIntegralNumber()).isTrue();
        assertThat(YamlTree.value("true").isBoolean()).isTrue();
        assertThat(YamlTree.value("[a, b]").size()).isEqualTo(2);
        assertThat(YamlTree.value("plain text").asText()).isEqualTo("plain text");
        assertThat(YamlTree.value("").asText()).isEmpty();
        assertThat(YamlTree.value("a: [").isTextual()).isTrue();
    }
}
