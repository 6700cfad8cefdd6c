// The PDF components on their own: SHA-256, TrueType reading and subsetting, line breaking, templates.
#include "pdf_font.hpp"
#include "pdf_layout.hpp"
#include <casedoc/base/error.hpp>
#include <casedoc/base/sha256.hpp>
#include <casedoc/template/template.hpp>

#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <unistd.h>

namespace fs = std::filesystem;
using namespace casedoc;

namespace {

const char* regular = "/usr/share/fonts/truetype/liberation2/LiberationSans-Regular.ttf";

fs::path write_temp(const std::string& name, const std::string& content) {
    const fs::path p = fs::temp_directory_path() / ("casedoc-unit-" + std::to_string(::getpid()) + "-" + name);
    std::ofstream(p, std::ios::binary) << content;
    return p;
}

std::string error_of(const std::function<void()>& f) {
    try {
        f();
    } catch (const error& e) {
        return e.what();
    }
    return "(no error)";
}

} // namespace

TEST_CASE("SHA-256 gives the FIPS 180-4 test vectors", "[render][unit][sha256]") {
    CHECK(sha256::hex(sha256::of("")) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    CHECK(sha256::hex(sha256::of("abc")) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    CHECK(sha256::hex(sha256::of("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq")) ==
          "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
    sha256 h; // fed in pieces across block boundaries
    const std::string a(1000, 'a');
    for (int i = 0; i < 1000; ++i) h.update(a);
    CHECK(sha256::hex(h.finish()) == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

TEST_CASE("a TrueType font gives glyphs and widths, and subsets with the components of composite glyphs",
          "[render][unit][font]") {
    REQUIRE(fs::exists(regular)); // fonts-liberation2 (scripts/install-deps.sh)
    const auto f = pdf_font::load(regular);
    CHECK(f->postscript_name() == "LiberationSans");
    CHECK(f->glyph(U'A') != 0);
    CHECK(f->glyph(U'ë') != 0);
    CHECK(f->glyph(U'\U0001F600') == 0); // no emoji
    CHECK(f->advance_1000(f->glyph(U' ')) > 200);
    CHECK(f->advance_1000(f->glyph(U'\u0300')) == 0); // a combining mark takes no room
    std::vector<uint16_t> order;
    const std::string sub = f->subset({0, f->glyph(U'A'), f->glyph(U'ǻ')}, order);
    REQUIRE(sub.size() > 12);
    CHECK(sub.substr(0, 4) == std::string("\0\1\0\0", 4));
    CHECK(order[0] == 0);
    CHECK(order[1] == f->glyph(U'A'));
    CHECK(order.size() > 3); // ǻ is built from components (a, ring, acute; some composite themselves) that came along
    // A subset is itself a font this reader accepts once given a character map; its glyph count is the subset's.
    const auto maxp = sub.find("maxp");
    REQUIRE(maxp != std::string::npos);
}

TEST_CASE("a file that is not a TrueType font is refused, naming the file", "[render][unit][font]") {
    const fs::path text = write_temp("not-a-font.ttf", "hello, this is text and not a font at all");
    CHECK_THAT(error_of([&] { pdf_font::load(text); }), Catch::Contains(text.string()) && Catch::Contains("not a TrueType font"));
    const fs::path otf = write_temp("cff.otf", std::string("OTTO") + std::string(60, '\0'));
    CHECK_THAT(error_of([&] { pdf_font::load(otf); }), Catch::Contains("CFF"));
    CHECK_THAT(error_of([&] { pdf_font::load("/nonexistent/font.ttf"); }), Catch::Contains("cannot be read"));
    fs::remove(text);
    fs::remove(otf);
}

TEST_CASE("lines break at spaces, long words break between characters, never before a combining mark",
          "[render][unit][layout]") {
    REQUIRE(fs::exists(regular)); // fonts-liberation2 (scripts/install-deps.sh)
    pdf_font_set fonts;
    fonts.styles[0].push_back(pdf_font::load(regular));
    pdf_layout layout(fonts, page_geometry{});
    // One paragraph much wider than a page, and a word wider than a line.
    para_block p;
    p.text = {text_span{std::string(300, 'x') + " " + "Adébáyọ̀ Adébáyọ̀ Adébáyọ̀ " + std::string(2000, 'w'), {}}};
    const auto pages = layout.run({p}, [](int, int) { return std::vector<layout_block>{}; },
                                  [](int, int) { return std::vector<layout_block>{}; });
    REQUIRE(pages.size() == 1);
    const page_geometry g;
    size_t lines = 0;
    for (const auto& run : pages[0].runs) {
        ++lines;
        float w = 0;
        for (const auto& [gid, cp] : run.glyphs) w += float(fonts.styles[0][0]->advance_1000(gid)) * run.size / 1000;
        CHECK(run.x >= g.left - 0.01f);
        CHECK(run.x + w <= g.width - g.right + 0.5f);
        REQUIRE(!run.glyphs.empty());
        CHECK(run.glyphs.front().second != U'\u0300'); // no line starts with a combining mark
    }
    CHECK(lines > 10);
}

TEST_CASE("template errors name the file, line and column", "[render][unit][template]") {
    auto load = [](const std::string& body) {
        const fs::path p = write_temp("t.xml", "<template xmlns=\"urn:casedoc:template:1\">\n" + body + "\n</template>\n");
        const std::string e = error_of([&] { document_template::load(p); });
        fs::remove(p);
        return e;
    };
    CHECK_THAT(load("<body>\n  <table select=\"visit/topic\"/>\n</body>"), Catch::Contains("t.xml:3:3: <table> needs at least one <column>"));
    CHECK_THAT(load("<body><text select=\"section[\"/></body>"), Catch::Contains(":2:7: bad XPath 'section['"));
    CHECK_THAT(load("<body><field label=\"x\" select=\"@a\"/></body>"), Catch::Contains("unknown template element <field>"));
    CHECK_THAT(load("<body><section code=\"data\" colour=\"red\"/></body>"), Catch::Contains("no attribute 'colour'"));
    CHECK_THAT(load("<body><paragraph>{unclosed</paragraph></body>"), Catch::Contains("a '{' without its '}'"));
    CHECK_THAT(load("<body><text select=\"a\" format=\"roman\"/></body>"), Catch::Contains("unknown format 'roman'"));
    CHECK_THAT(load("<header><row><left>{$agency}</left></row></header><footer/>"), Catch::Contains("must show {$program}"));
    CHECK_THAT(load("<notice id=\"x\" from=\"2026-2-1\">t</notice>"), Catch::Contains("dates (YYYY-MM-DD)"));
    const fs::path ok = write_temp("ok.xml", "<template xmlns=\"urn:casedoc:template:1\" setting=\"s\" document-type=\"d\" title=\"T\">"
                                             "<var name=\"v\" select=\"@id\"/><body><sections/><apply select=\"notes/note\"/><notes/></body></template>");
    const auto t = document_template::load(ok);
    CHECK(t->title == "T");
    CHECK(t->body->children.size() == 3);
    CHECK(t->body->children[2].kind == template_kind::apply); // <notes/>
    CHECK(t->digest.size() == 64);
    fs::remove(ok);
}

TEST_CASE("a word wider than the line breaks after a hyphen when it has one (rule ids in narrow columns)",
          "[render][unit][layout]") {
    REQUIRE(fs::exists(regular));
    pdf_font_set fonts;
    fonts.styles[0].push_back(pdf_font::load(regular));
    page_geometry g;
    g.width = g.left + g.right + 70; // wider than each part of the id, narrower than two
    pdf_layout layout(fonts, g);
    para_block p;
    p.text = {text_span{"CORR-DQ-PROJECTED-RELEASE-DATE and 2024-03-10 stays whole", {}}};
    const auto pages = layout.run({p}, [](int, int) { return std::vector<layout_block>{}; },
                                  [](int, int) { return std::vector<layout_block>{}; });
    REQUIRE(pages.size() == 1);
    std::vector<std::u32string> lines;
    for (const auto& run : pages[0].runs) {
        std::u32string t;
        for (const auto& glyph : run.glyphs) t += glyph.second;
        lines.push_back(t);
    }
    // The id's lines are whole parts, each ending at its hyphen.
    std::u32string id;
    size_t i = 0;
    for (; i < lines.size() && id.size() < 30; ++i) {
        id += lines[i];
        if (id.size() < 30) CHECK(lines[i].back() == U'-');
    }
    CHECK(i >= 3);
    CHECK(id.substr(0, 30) == U"CORR-DQ-PROJECTED-RELEASE-DATE");
    for (const auto& l : lines) // a line with spaces still breaks only at spaces: the date is not split
        CHECK((l.find(U"2024-03-") == std::u32string::npos || l.find(U"2024-03-10") != std::u32string::npos));
}
