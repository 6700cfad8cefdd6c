#include "pdf_document.hpp"
#include <casedoc/base/error.hpp>
#include <casedoc/base/sha256.hpp>

#include <hpdf.h>
#include <zlib.h>

#include <cstdio>
#include <map>

namespace casedoc {

namespace {

// libharu reports failures through this handler (never longjmp: it would skip C++ destructors); the
// status is also returned by the call, and checked there.
void on_error(HPDF_STATUS error_no, HPDF_STATUS detail_no, void* user_data) {
    auto* last = static_cast<std::pair<unsigned, unsigned>*>(user_data);
    if (last->first == 0) *last = {unsigned(error_no), unsigned(detail_no)};
}

std::string xml_escape(std::string_view s) {
    std::string out;
    out.reserve(s.size());
    for (char c : s) {
        switch (c) {
        case '&': out += "&amp;"; break;
        case '<': out += "&lt;"; break;
        case '>': out += "&gt;"; break;
        case '"': out += "&quot;"; break;
        default:
            if (static_cast<unsigned char>(c) >= 0x20 || c == '\n' || c == '\t') out += c;
        }
    }
    return out;
}

// UTF-8 to UTF-16BE with a byte order mark: a PDF text string for values that are not plain ASCII.
std::string utf16be(std::string_view s) {
    std::string out = "\xFE\xFF";
    for (size_t i = 0; i < s.size();) {
        const auto c = static_cast<unsigned char>(s[i]);
        char32_t cp;
        size_t len = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
        if (i + len > s.size()) len = 1;
        cp = len == 1 ? c : len == 2 ? c & 0x1F : len == 3 ? c & 0x0F : c & 0x07;
        for (size_t j = 1; j < len; ++j) cp = cp << 6 | (static_cast<unsigned char>(s[i + j]) & 0x3F);
        i += len;
        auto put = [&](unsigned u) {
            out += char(u >> 8);
            out += char(u & 0xFF);
        };
        if (cp >= 0x10000) {
            cp -= 0x10000;
            put(0xD800 + (cp >> 10));
            put(0xDC00 + (cp & 0x3FF));
        } else put(unsigned(cp));
    }
    return out;
}

// Streams casedoc compresses itself (faster settings, and data such as the colour profile compressed once
// per process) are handed to libharu unfiltered; libharu drops a /Filter key of an unfiltered stream, so the
// key is written by this hook, which libharu calls at the end of the stream's dictionary.
HPDF_STATUS write_flate_filter(HPDF_Dict, HPDF_Stream out) { return HPDF_Stream_WriteStr(out, "/Filter /FlateDecode\012"); }

bool ascii(std::string_view s) {
    for (char c : s)
        if (static_cast<unsigned char>(c) >= 0x80 || static_cast<unsigned char>(c) < 0x20) return false;
    return true;
}

// "2024-10-08T09:20[:ss][Z|±hh:mm]" (or a date) → XMP "2024-10-08T09:20:00[Z|±hh:mm]" and PDF "D:20241008092000[Z|±hh'mm']".
std::pair<std::string, std::string> pdf_dates(const std::string& d) {
    std::string date = d.substr(0, 10), time = "00:00:00", zone;
    if (d.size() > 11 && d[10] == 'T') {
        std::string rest = d.substr(11);
        size_t z = rest.find_first_of("Z+-");
        if (z != std::string::npos) {
            zone = rest.substr(z);
            rest = rest.substr(0, z);
        }
        time = rest.size() == 5 ? rest + ":00" : rest.substr(0, 8);
    }
    std::string xmp = date + "T" + time + zone;
    std::string pdf = "D:";
    for (char c : date + time)
        if (c >= '0' && c <= '9') pdf += c;
    if (zone == "Z") pdf += "Z";
    else if (zone.size() == 6) pdf += zone.substr(0, 3) + "'" + zone.substr(4, 2) + "'";
    return {xmp, pdf};
}

} // namespace

struct pdf_document::state {
    HPDF_Doc pdf = nullptr;
    std::pair<unsigned, unsigned> last_error{0, 0};
    struct font_use {
        const pdf_font* font = nullptr;
        HPDF_Dict type0 = nullptr;
        std::vector<uint16_t> gids{0};    // new glyph id -> old glyph id (requested glyphs)
        std::vector<uint16_t> new_id;     // old glyph id -> new glyph id (0: not yet used)
        std::vector<char32_t> unicode{0}; // new glyph id -> code point it stands for
    };
    std::vector<font_use> fonts;
    std::vector<HPDF_Page> pages;

    void check(HPDF_STATUS st, const char* what) {
        if (st == HPDF_OK && last_error.first == 0) return;
        char code[64];
        std::snprintf(code, sizeof code, "error 0x%04X, detail %u", last_error.first ? last_error.first : unsigned(st),
                      last_error.second);
        throw error("", std::string("the PDF writer (libharu) failed while ") + what + " (" + code + ")");
    }
    template <class T>
    T* checked(T* p, const char* what) {
        if (!p) check(HPDF_FAILD_TO_ALLOC_MEM, what);
        check(HPDF_OK, what);
        return p;
    }
    HPDF_MMgr mmgr() const { return pdf->mmgr; }
    HPDF_Xref xref() const { return pdf->xref; }
    // A stream object; `deflated`: the data is already compressed (pdf_document::deflate).
    HPDF_Dict stream(const std::string& data, bool deflated, const char* what) {
        HPDF_Dict s = checked(HPDF_DictStream_New(mmgr(), xref()), what);
        s->filter = HPDF_STREAM_FILTER_NONE;
        if (deflated) s->write_fn = write_flate_filter;
        check(HPDF_Stream_Write(s->stream, reinterpret_cast<const HPDF_BYTE*>(data.data()), HPDF_UINT(data.size())), what);
        return s;
    }
    HPDF_Dict dict(bool indirect, const char* what) {
        HPDF_Dict d = checked(HPDF_Dict_New(mmgr()), what);
        if (indirect) check(HPDF_Xref_Add(xref(), d), what);
        return d;
    }
    void add_text(HPDF_Dict d, const char* key, const std::string& value) {
        void* obj = ascii(value) ? static_cast<void*>(HPDF_String_New(mmgr(), value.c_str(), nullptr))
                                 : static_cast<void*>(HPDF_Binary_New(mmgr(), reinterpret_cast<HPDF_BYTE*>(utf16be(value).data()),
                                                                      HPDF_UINT(utf16be(value).size())));
        check(HPDF_Dict_Add(d, key, checked(obj, "writing the document info")), "writing the document info");
    }
    void finish_font(font_use& f, unsigned index);
};

pdf_document::pdf_document() : s_(std::make_unique<state>()) {
    s_->pdf = HPDF_New(on_error, &s_->last_error);
    if (!s_->pdf) throw error("", "the PDF writer (libharu) could not start (out of memory)");
    // Must come before any page is created, or the pages are written uncompressed.
    s_->check(HPDF_SetCompressionMode(s_->pdf, HPDF_COMP_ALL), "setting compression");
    s_->pdf->pdf_version = HPDF_VER_14; // PDF/A-1 is based on PDF 1.4
}

pdf_document::~pdf_document() {
    if (s_->pdf) HPDF_Free(s_->pdf);
}

unsigned pdf_document::use_font(const pdf_font& font) {
    for (unsigned i = 0; i < s_->fonts.size(); ++i)
        if (s_->fonts[i].font == &font) return i;
    state::font_use u;
    u.font = &font;
    u.new_id.assign(font.glyph_count(), 0);
    u.type0 = s_->dict(true, "creating a font");
    s_->fonts.push_back(std::move(u));
    return unsigned(s_->fonts.size() - 1);
}

void pdf_document::encode(unsigned index, uint16_t gid, char32_t cp, std::string& out) {
    state::font_use& f = s_->fonts[index];
    uint16_t cid = gid < f.new_id.size() ? f.new_id[gid] : 0;
    if (cid == 0 && gid != 0 && gid < f.new_id.size()) {
        cid = uint16_t(f.gids.size());
        f.new_id[gid] = cid;
        f.gids.push_back(gid);
        f.unicode.push_back(cp);
    }
    // Two bytes per glyph in a literal string; the delimiters, the escape and CR are escaped.
    for (const char b : {char(cid >> 8), char(cid & 0xFF)}) {
        if (b == '(' || b == ')' || b == '\\') out += '\\';
        if (b == '\r') {
            out += "\\r";
            continue;
        }
        out += b;
    }
}

void pdf_document::add_page(double width, double height, const std::string& content) {
    HPDF_Page page = s_->checked(HPDF_AddPage(s_->pdf), "adding a page");
    s_->check(HPDF_Page_SetWidth(page, HPDF_REAL(width)), "sizing a page");
    s_->check(HPDF_Page_SetHeight(page, HPDF_REAL(height)), "sizing a page");
    auto* attr = static_cast<HPDF_PageAttr>(page->attr);
    const std::string data = deflate(content);
    attr->contents->filter = HPDF_STREAM_FILTER_NONE;
    attr->contents->write_fn = write_flate_filter;
    s_->check(HPDF_Stream_Write(attr->stream, reinterpret_cast<const HPDF_BYTE*>(data.data()), HPDF_UINT(data.size())),
              "writing a page");
    s_->pages.push_back(page);
}

void pdf_document::append_content(size_t index, const std::string& content) {
    const char* what = "writing a page";
    if (index >= s_->pages.size()) throw error("", "no page " + std::to_string(index + 1) + " to add content to");
    HPDF_Page page = s_->pages[index];
    auto* attr = static_cast<HPDF_PageAttr>(page->attr);
    HPDF_Dict more = s_->stream(deflate(content), true, what);
    HPDF_Array contents = s_->checked(HPDF_Array_New(s_->mmgr()), what);
    s_->check(HPDF_Array_Add(contents, attr->contents), what);
    s_->check(HPDF_Array_Add(contents, more), what);
    s_->check(HPDF_Dict_Add(page, "Contents", contents), what); // replaces the single stream, which stays in the file
}

size_t pdf_document::page_count() const noexcept { return s_->pages.size(); }

void pdf_document::state::finish_font(font_use& f, unsigned index) {
    const char* what = "embedding a font";
    std::vector<uint16_t> order;
    const std::string program = f.font->subset(f.gids, order);
    const size_t n = order.size();

    // Subset tag: six capital letters derived from the font and the glyphs it holds (deterministic).
    sha256 h;
    h.update(f.font->postscript_name());
    for (uint16_t g : order) h.update(std::string_view(reinterpret_cast<const char*>(&g), sizeof g));
    const auto digest = h.finish();
    std::string name;
    for (int i = 0; i < 6; ++i) name += char('A' + digest[i] % 26);
    name += "+" + f.font->postscript_name();
    (void)index;

    HPDF_Dict file = stream(pdf_document::deflate(program), true, what);
    check(HPDF_Dict_AddNumber(file, "Length1", HPDF_INT32(program.size())), what);

    std::string cidset((n + 7) / 8, '\0');
    for (size_t i = 0; i < n; ++i) cidset[i / 8] = char(static_cast<unsigned char>(cidset[i / 8]) | (0x80 >> (i % 8)));
    HPDF_Dict cidset_stream = stream(pdf_document::deflate(cidset), true, what);

    const pdf_font::metrics& m = f.font->pdf_metrics();
    HPDF_Dict descriptor = dict(true, what);
    check(HPDF_Dict_AddName(descriptor, "Type", "FontDescriptor"), what);
    check(HPDF_Dict_AddName(descriptor, "FontName", name.c_str()), what);
    check(HPDF_Dict_AddNumber(descriptor, "Flags", m.flags), what);
    HPDF_Array bbox = checked(HPDF_Array_New(mmgr()), what);
    for (int v : m.bbox) check(HPDF_Array_AddNumber(bbox, v), what);
    check(HPDF_Dict_Add(descriptor, "FontBBox", bbox), what);
    check(HPDF_Dict_AddReal(descriptor, "ItalicAngle", HPDF_REAL(m.italic_angle)), what);
    check(HPDF_Dict_AddNumber(descriptor, "Ascent", m.ascent), what);
    check(HPDF_Dict_AddNumber(descriptor, "Descent", m.descent), what);
    check(HPDF_Dict_AddNumber(descriptor, "CapHeight", m.cap_height), what);
    check(HPDF_Dict_AddNumber(descriptor, "XHeight", m.x_height), what);
    check(HPDF_Dict_AddNumber(descriptor, "StemV", m.stem_v), what);
    check(HPDF_Dict_Add(descriptor, "FontFile2", file), what);
    check(HPDF_Dict_Add(descriptor, "CIDSet", cidset_stream), what);

    HPDF_Dict cid_font = dict(true, what);
    check(HPDF_Dict_AddName(cid_font, "Type", "Font"), what);
    check(HPDF_Dict_AddName(cid_font, "Subtype", "CIDFontType2"), what);
    check(HPDF_Dict_AddName(cid_font, "BaseFont", name.c_str()), what);
    HPDF_Dict info = dict(false, what);
    check(HPDF_Dict_Add(info, "Registry", checked(HPDF_String_New(mmgr(), "Adobe", nullptr), what)), what);
    check(HPDF_Dict_Add(info, "Ordering", checked(HPDF_String_New(mmgr(), "Identity", nullptr), what)), what);
    check(HPDF_Dict_AddNumber(info, "Supplement", 0), what);
    check(HPDF_Dict_Add(cid_font, "CIDSystemInfo", info), what);
    check(HPDF_Dict_Add(cid_font, "FontDescriptor", descriptor), what);
    check(HPDF_Dict_AddName(cid_font, "CIDToGIDMap", "Identity"), what);
    HPDF_Array w = checked(HPDF_Array_New(mmgr()), what), widths = checked(HPDF_Array_New(mmgr()), what);
    check(HPDF_Array_AddNumber(w, 0), what);
    check(HPDF_Array_Add(w, widths), what);
    for (uint16_t g : order) check(HPDF_Array_AddNumber(widths, HPDF_INT32(f.font->advance_1000(g) + 0.5)), what);
    check(HPDF_Dict_Add(cid_font, "W", w), what);

    // ToUnicode: every glyph used for text maps to the code point it was drawn for.
    std::string cmap =
        "/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n/CIDSystemInfo << /Registry (Adobe) "
        "/Ordering (UCS) /Supplement 0 >> def\n/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n"
        "1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n";
    auto hex4 = [](unsigned v) {
        char b[5];
        std::snprintf(b, sizeof b, "%04X", v & 0xFFFF);
        return std::string(b);
    };
    std::vector<std::pair<uint16_t, char32_t>> maps;
    for (size_t cid = 1; cid < f.unicode.size(); ++cid) maps.emplace_back(uint16_t(cid), f.unicode[cid]);
    for (size_t i = 0; i < maps.size(); i += 100) {
        const size_t end = std::min(maps.size(), i + 100);
        cmap += std::to_string(end - i) + " beginbfchar\n";
        for (size_t j = i; j < end; ++j) {
            char32_t cp = maps[j].second;
            std::string dst;
            if (cp >= 0x10000) {
                cp -= 0x10000;
                dst = hex4(0xD800 + (cp >> 10)) + hex4(0xDC00 + (cp & 0x3FF));
            } else dst = hex4(unsigned(cp));
            cmap += "<" + hex4(maps[j].first) + "> <" + dst + ">\n";
        }
        cmap += "endbfchar\n";
    }
    cmap += "endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n";
    HPDF_Dict to_unicode = stream(pdf_document::deflate(cmap), true, what);

    check(HPDF_Dict_AddName(f.type0, "Type", "Font"), what);
    check(HPDF_Dict_AddName(f.type0, "Subtype", "Type0"), what);
    check(HPDF_Dict_AddName(f.type0, "BaseFont", name.c_str()), what);
    check(HPDF_Dict_AddName(f.type0, "Encoding", "Identity-H"), what);
    HPDF_Array descendants = checked(HPDF_Array_New(mmgr()), what);
    check(HPDF_Array_Add(descendants, cid_font), what);
    check(HPDF_Dict_Add(f.type0, "DescendantFonts", descendants), what);
    check(HPDF_Dict_Add(f.type0, "ToUnicode", to_unicode), what);
}

void pdf_document::set_info(const pdf_info& i) {
    const char* what = "writing the document info";
    HPDF_Dict info = s_->pdf->info;
    if (!info) {
        s_->check(HPDF_SetInfoAttr(s_->pdf, HPDF_INFO_PRODUCER, "casedoc"), what);
        info = s_->pdf->info;
    }
    const auto [xmp_date, pdf_date] = pdf_dates(i.date);
    s_->add_text(info, "Title", i.title);
    s_->add_text(info, "Author", i.author);
    s_->add_text(info, "Subject", i.subject);
    s_->add_text(info, "Keywords", i.keywords);
    s_->add_text(info, "Creator", i.creator);
    s_->add_text(info, "Producer", i.producer);
    s_->add_text(info, "CreationDate", pdf_date);
    s_->add_text(info, "ModDate", pdf_date);
    s_->add_text(info, "SourceSHA256", i.source_sha256);

    const std::string ns = "urn:casedoc:pdf:1#";
    std::string x;
    x += "<?xpacket begin=\"\xEF\xBB\xBF\" id=\"W5M0MpCehiHzreSzNTczkc9d\"?>\n";
    x += "<x:xmpmeta xmlns:x=\"adobe:ns:meta/\">\n<rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\">\n";
    x += "<rdf:Description rdf:about=\"\" xmlns:dc=\"http://purl.org/dc/elements/1.1/\">\n";
    x += "<dc:format>application/pdf</dc:format>\n";
    x += "<dc:title><rdf:Alt><rdf:li xml:lang=\"x-default\">" + xml_escape(i.title) + "</rdf:li></rdf:Alt></dc:title>\n";
    x += "<dc:creator><rdf:Seq><rdf:li>" + xml_escape(i.author) + "</rdf:li></rdf:Seq></dc:creator>\n";
    x += "<dc:description><rdf:Alt><rdf:li xml:lang=\"x-default\">" + xml_escape(i.subject) +
         "</rdf:li></rdf:Alt></dc:description>\n";
    x += "</rdf:Description>\n";
    x += "<rdf:Description rdf:about=\"\" xmlns:pdf=\"http://ns.adobe.com/pdf/1.3/\">\n";
    x += "<pdf:Keywords>" + xml_escape(i.keywords) + "</pdf:Keywords>\n";
    x += "<pdf:Producer>" + xml_escape(i.producer) + "</pdf:Producer>\n";
    x += "</rdf:Description>\n";
    x += "<rdf:Description rdf:about=\"\" xmlns:xmp=\"http://ns.adobe.com/xap/1.0/\">\n";
    x += "<xmp:CreatorTool>" + xml_escape(i.creator) + "</xmp:CreatorTool>\n";
    x += "<xmp:CreateDate>" + xmp_date + "</xmp:CreateDate>\n";
    x += "<xmp:ModifyDate>" + xmp_date + "</xmp:ModifyDate>\n";
    x += "<xmp:MetadataDate>" + xmp_date + "</xmp:MetadataDate>\n";
    x += "</rdf:Description>\n";
    x += "<rdf:Description rdf:about=\"\" xmlns:pdfaid=\"http://www.aiim.org/pdfa/ns/id/\">\n";
    x += "<pdfaid:part>1</pdfaid:part>\n<pdfaid:conformance>B</pdfaid:conformance>\n</rdf:Description>\n";
    x += "<rdf:Description rdf:about=\"\" xmlns:casedoc=\"" + ns + "\">\n";
    x += "<casedoc:SourceSHA256>" + xml_escape(i.source_sha256) + "</casedoc:SourceSHA256>\n";
    x += "<casedoc:RecordId>" + xml_escape(i.record_id) + "</casedoc:RecordId>\n";
    x += "</rdf:Description>\n";
    // PDF/A-1 requires properties outside the predefined schemas to be described by an extension schema.
    x += "<rdf:Description rdf:about=\"\" xmlns:pdfaExtension=\"http://www.aiim.org/pdfa/ns/extension/\" "
         "xmlns:pdfaSchema=\"http://www.aiim.org/pdfa/ns/schema#\" xmlns:pdfaProperty=\"http://www.aiim.org/pdfa/ns/property#\">\n";
    x += "<pdfaExtension:schemas><rdf:Bag><rdf:li rdf:parseType=\"Resource\">\n";
    x += "<pdfaSchema:schema>casedoc record provenance</pdfaSchema:schema>\n";
    x += "<pdfaSchema:namespaceURI>" + ns + "</pdfaSchema:namespaceURI>\n<pdfaSchema:prefix>casedoc</pdfaSchema:prefix>\n";
    x += "<pdfaSchema:property><rdf:Seq>\n";
    for (const auto& [prop, desc] : {std::pair{"SourceSHA256", "SHA-256 of the source record file, lower-case hex"},
                                     std::pair{"RecordId", "Identifier of the source record"}}) {
        x += std::string("<rdf:li rdf:parseType=\"Resource\"><pdfaProperty:name>") + prop +
             "</pdfaProperty:name><pdfaProperty:valueType>Text</pdfaProperty:valueType>"
             "<pdfaProperty:category>external</pdfaProperty:category><pdfaProperty:description>" +
             desc + "</pdfaProperty:description></rdf:li>\n";
    }
    x += "</rdf:Seq></pdfaSchema:property>\n</rdf:li></rdf:Bag></pdfaExtension:schemas>\n</rdf:Description>\n";
    x += "</rdf:RDF>\n</x:xmpmeta>\n<?xpacket end=\"w\"?>";

    // PDF/A-1: the metadata stream is not filtered.
    HPDF_Dict meta = s_->stream(x, false, what);
    s_->check(HPDF_Dict_AddName(meta, "Type", "Metadata"), what);
    s_->check(HPDF_Dict_AddName(meta, "Subtype", "XML"), what);
    s_->check(HPDF_Dict_Add(s_->pdf->catalog, "Metadata", meta), what);
}

namespace {

// One compressor per thread, reset between streams: initialising zlib for every stream costs more than
// compressing a small one (it allocates and clears about 256 KB each time).
struct deflater {
    z_stream z{};
    bool ready = false;
    deflater() {
        // Level 3: about twice as fast as zlib's default level 6 here, and within a few per cent of its size.
        ready = deflateInit(&z, 3) == Z_OK;
    }
    ~deflater() {
        if (ready) deflateEnd(&z);
    }
};

} // namespace

std::string pdf_document::deflate(std::string_view data) {
    thread_local deflater d;
    if (!d.ready || deflateReset(&d.z) != Z_OK) throw error("", "cannot start zlib");
    z_stream& z = d.z;
    std::string out(deflateBound(&z, uLong(data.size())), '\0');
    z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
    z.avail_in = uInt(data.size());
    z.next_out = reinterpret_cast<Bytef*>(out.data());
    z.avail_out = uInt(out.size());
    const int rc = ::deflate(&z, Z_FINISH);
    out.resize(z.total_out);
    if (rc != Z_STREAM_END) throw error("", "zlib could not compress a stream");
    return out;
}

void pdf_document::set_output_intent(const std::string& icc_deflated, const std::string& identifier) {
    const char* what = "writing the output intent";
    HPDF_Dict profile = s_->stream(icc_deflated, true, what);
    s_->check(HPDF_Dict_AddNumber(profile, "N", 3), what);
    HPDF_Dict intent = s_->dict(false, what);
    s_->check(HPDF_Dict_AddName(intent, "Type", "OutputIntent"), what);
    s_->check(HPDF_Dict_AddName(intent, "S", "GTS_PDFA1"), what);
    s_->add_text(intent, "OutputConditionIdentifier", identifier);
    s_->add_text(intent, "Info", identifier);
    s_->check(HPDF_Dict_Add(intent, "DestOutputProfile", profile), what);
    HPDF_Array intents = s_->checked(HPDF_Array_New(s_->mmgr()), what);
    s_->check(HPDF_Array_Add(intents, intent), what);
    s_->check(HPDF_Dict_Add(s_->pdf->catalog, "OutputIntents", intents), what);
}

void pdf_document::set_id(const std::array<uint8_t, 16>& id) {
    const char* what = "writing the document id";
    HPDF_Array ids = s_->checked(HPDF_Array_New(s_->mmgr()), what);
    for (int i = 0; i < 2; ++i)
        s_->check(HPDF_Array_Add(ids, s_->checked(HPDF_Binary_New(s_->mmgr(), const_cast<HPDF_BYTE*>(id.data()), 16), what)),
                  what);
    s_->check(HPDF_Dict_Add(s_->pdf->trailer, "ID", ids), what);
}

std::string pdf_document::save() {
    const char* what = "writing the file";
    HPDF_Dict fonts = s_->dict(false, what);
    for (unsigned i = 0; i < s_->fonts.size(); ++i) {
        s_->finish_font(s_->fonts[i], i);
        s_->check(HPDF_Dict_Add(fonts, ("F" + std::to_string(i + 1)).c_str(), s_->fonts[i].type0), what);
    }
    HPDF_Dict resources = s_->dict(true, what);
    s_->check(HPDF_Dict_Add(resources, "Font", fonts), what);
    for (HPDF_Page page : s_->pages) s_->check(HPDF_Dict_Add(page, "Resources", resources), what);

    s_->check(HPDF_SaveToStream(s_->pdf), what);
    std::string out;
    out.reserve(HPDF_GetStreamSize(s_->pdf));
    HPDF_Stream stream = s_->pdf->stream;
    for (HPDF_UINT i = 0, n = HPDF_MemStream_GetBufCount(stream); i < n; ++i) {
        HPDF_UINT len = 0;
        const HPDF_BYTE* p = s_->checked(HPDF_MemStream_GetBufPtr(stream, i, &len), what);
        out.append(reinterpret_cast<const char*>(p), len);
    }
    if (out.size() != HPDF_GetStreamSize(s_->pdf)) throw error("", "the PDF writer (libharu) returned a short file");
    return out;
}

} // namespace casedoc
