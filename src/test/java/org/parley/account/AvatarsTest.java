package org.parley.account;

import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

import javax.xml.parsers.DocumentBuilderFactory;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AvatarsTest {
    private static final String SVG_NS = "http://www.w3.org/2000/svg";
    private static final Pattern SQUARE = Pattern.compile("M(\\d) (\\d)h1v1h-1z");

    @Test
    void theKeyIsSixteenHexDigitsThatDoNotRevealTheEmail() {
        String key = Avatars.keyFor("ann.lee@example.org", "Ann");

        assertThat(key).matches("[0-9a-f]{16}")
                .doesNotContain("ann", "lee", "example")
                .isEqualTo(Avatars.keyFor("ann.lee@example.org", "Someone else"));
    }

    @Test
    void theEmailKeyIgnoresCaseAndSurroundingSpace() {
        assertThat(Avatars.keyFor("  Ann.Lee@Example.ORG ", "Ann"))
                .isEqualTo(Avatars.keyFor("ann.lee@example.org", "Ann"));
    }

    @Test
    void withoutAnEmailTheNameDecidesAndCannotPassForAnEmail() {
        String guest = Avatars.keyFor(null, "ann@example.org");

        assertThat(guest).matches("[0-9a-f]{16}").isEqualTo(Avatars.keyFor(" ", "ann@example.org"));
        assertThat(guest).isNotEqualTo(Avatars.keyFor("ann@example.org", "Ann"));
        assertThat(Avatars.keyFor(null, "Ann")).isNotEqualTo(Avatars.keyFor(null, "Bob"));
    }

    @Test
    void theSameKeyAlwaysDrawsTheSamePicture() {
        String key = Avatars.keyFor("ann@example.org", "Ann");

        assertThat(Avatars.svg(key)).isEqualTo(Avatars.svg(key));
    }

    @Test
    void differentKeysDrawDifferentPictures() {
        Set<String> pictures = new HashSet<>();
        for (int i = 0; i < 500; i++) {
            pictures.add(Avatars.svg(Avatars.keyFor("user" + i + "@example.org", "User")));
        }

        assertThat(pictures).hasSize(500);
    }

    @Test
    void theSvgIsWellFormedWithTheAgreedAttributes() throws Exception {
        Document svg = parse(Avatars.svg(Avatars.keyFor("ann@example.org", "Ann")));
        Element root = svg.getDocumentElement();

        assertThat(root.getNamespaceURI()).isEqualTo(SVG_NS);
        assertThat(root.getLocalName()).isEqualTo("svg");
        assertThat(root.getAttribute("viewBox")).isEqualTo("0 0 5 5");
        assertThat(root.getAttribute("shape-rendering")).isEqualTo("crispEdges");
        assertThat(root.getAttribute("role")).isEqualTo("img");
        Element tile = (Element) svg.getElementsByTagNameNS(SVG_NS, "rect").item(0);
        assertThat(tile.getAttribute("fill")).isEqualTo("#f2f2f2");
        Element shape = (Element) svg.getElementsByTagNameNS(SVG_NS, "path").item(0);
        assertThat(shape.getAttribute("fill")).matches("hsl\\((\\d|[1-9]\\d|[12]\\d\\d|3[0-5]\\d),50%,35%\\)");
    }

    @Test
    void thePictureIsMirroredLeftToRight() throws Exception {
        for (int i = 0; i < 50; i++) {
            Set<String> cells = cells(Avatars.svg(Avatars.keyFor(null, "guest " + i)));

            assertThat(cells).isNotEmpty();
            for (String cell : cells) {
                int x = cell.charAt(0) - '0';
                assertThat(cells).contains((4 - x) + "," + cell.charAt(2));
            }
        }
    }

    @Test
    void eachOfTheFifteenBitsTurnsOnItsCellAndItsMirror() throws Exception {
        assertThat(cells(Avatars.svg("0000000000000001"))).containsExactlyInAnyOrder("0,0", "4,0");
        assertThat(cells(Avatars.svg("0000000000000004"))).containsExactly("2,0");
        assertThat(cells(Avatars.svg("0000000000004000"))).containsExactly("2,4");
        assertThat(cells(Avatars.svg("0000000000007fff"))).hasSize(25);
    }

    @Test
    void aKeyWithNoCellsStillDrawsTheCentre() throws Exception {
        assertThat(cells(Avatars.svg("ffffffffffff8000"))).containsExactly("2,2");
    }

    @Test
    void evenAFullGridStaysSmall() throws Exception {
        String full = Avatars.svg("ffffffffffff7fff");

        assertThat(cells(full)).hasSize(25);
        assertThat(full.getBytes(StandardCharsets.UTF_8).length).isLessThan(1536);
    }

    @Test
    void onlyWellFormedKeysAreDrawn() {
        for (String bad : new String[] {"ABCDEF0123456789", "abc", "0123456789abcdef0", "../../etc/passwd", ""}) {
            assertThatThrownBy(() -> Avatars.svg(bad)).isInstanceOf(IllegalArgumentException.class);
        }
    }

    private static Document parse(String svg) throws Exception {
        var factory = DocumentBuilderFactory.newInstance();
        factory.setNamespaceAware(true);
        factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        return factory.newDocumentBuilder().parse(new ByteArrayInputStream(svg.getBytes(StandardCharsets.UTF_8)));
    }

    /** The unit squares the path draws, as "x,y". */
    private static Set<String> cells(String svg) throws Exception {
        Element shape = (Element) parse(svg).getElementsByTagNameNS(SVG_NS, "path").item(0);
        Set<String> cells = new HashSet<>();
        Matcher square = SQUARE.matcher(shape.getAttribute("d"));
        int end = 0;
        while (square.find()) {
            assertThat(square.start()).as("nothing but squares in the path").isEqualTo(end);
            end = square.end();
            assertThat(cells.add(square.group(1) + "," + square.group(2))).as("no square twice").isTrue();
        }
        assertThat(end).isEqualTo(shape.getAttribute("d").length());
        return cells;
    }
}
