#include <casedoc/base/atomic_file.hpp>
#include <casedoc/base/error.hpp>
#include <casedoc/base/sha256.hpp>
#include <casedoc/serve/token_store.hpp>

#include <nlohmann/json.hpp>
#include <openssl/crypto.h>
#include <openssl/rand.h>

#include <algorithm>
#include <fstream>

namespace casedoc {

namespace fs = std::filesystem;

namespace {

constexpr const char* file_format = "casedoc-tokens/1";

bool contains(const std::vector<std::string>& list, std::string_view value) {
    return std::find(list.begin(), list.end(), value) != list.end();
}

std::array<uint8_t, 32> digest_from_hex(const std::string& hex, const std::string& file) {
    std::array<uint8_t, 32> d{};
    const auto nibble = [&](char c) -> uint8_t {
        if (c >= '0' && c <= '9') return uint8_t(c - '0');
        if (c >= 'a' && c <= 'f') return uint8_t(c - 'a' + 10);
        throw error(file, "a token's sha256 is not 64 lower-case hexadecimal digits");
    };
    if (hex.size() != 64) throw error(file, "a token's sha256 is not 64 lower-case hexadecimal digits");
    for (size_t i = 0; i < 32; ++i) d[i] = uint8_t(nibble(hex[2 * i]) << 4 | nibble(hex[2 * i + 1]));
    return d;
}

} // namespace

bool token_grant::allows_setting(std::string_view setting) const {
    return contains(settings, "*") || contains(settings, setting);
}

bool token_grant::allows_scope(std::string_view scope) const { return contains(scopes, scope); }

const std::vector<std::string>& token_scopes() {
    static const std::vector<std::string> scopes{"validate", "render", "export", "audit", "due"};
    return scopes;
}

token_store token_store::load(const fs::path& file) {
    std::ifstream in(file, std::ios::binary);
    if (!in) throw error(file.string(), "cannot read the tokens file");
    token_store store;
    try {
        const auto j = nlohmann::json::parse(in);
        if (!j.is_object() || j.value("format", "") != file_format)
            throw error(file.string(), std::string("not a tokens file (expected \"format\": \"") + file_format + "\")");
        for (const auto& t : j.at("tokens")) {
            token_grant g;
            g.name = t.at("name").get<std::string>();
            g.settings = t.at("settings").get<std::vector<std::string>>();
            g.scopes = t.at("scopes").get<std::vector<std::string>>();
            g.created = t.value("created", "");
            g.digest = digest_from_hex(t.at("sha256").get<std::string>(), file.string());
            store.tokens_.push_back(std::move(g));
        }
    } catch (const nlohmann::json::exception& e) {
        throw error(file.string(), std::string("not a valid tokens file: ") + e.what());
    }
    return store;
}

token_store token_store::load_or_empty(const fs::path& file) {
    std::error_code ec;
    if (!fs::exists(file, ec)) return {};
    return load(file);
}

std::string token_store::add(const std::string& name, std::vector<std::string> settings,
                             std::vector<std::string> scopes, std::string created) {
    const bool good_name = !name.empty() && name.size() <= 64 && std::all_of(name.begin(), name.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_' ||
               c == '.';
    });
    if (!good_name) throw error("", "token name '" + name + "': use 1 to 64 letters, digits, '-', '_' or '.'");
    if (std::any_of(tokens_.begin(), tokens_.end(), [&](const token_grant& t) { return t.name == name; }))
        throw error("", "a token named '" + name + "' exists already (revoke it first)");
    if (settings.empty()) throw error("", "token '" + name + "': give the settings it may use (or *)");
    if (scopes.empty()) throw error("", "token '" + name + "': give the scopes it may use");
    for (const auto& s : scopes)
        if (!contains(token_scopes(), s)) {
            std::string known;
            for (const auto& k : token_scopes()) known += (known.empty() ? "" : ", ") + k;
            throw error("", "unknown scope '" + s + "' (scopes: " + known + ")");
        }
    std::array<uint8_t, 32> random{};
    if (RAND_bytes(random.data(), int(random.size())) != 1) throw error("", "cannot make a token: no random bytes");
    const std::string secret = "cdt_" + sha256::hex(random);
    token_grant g;
    g.name = name;
    g.settings = std::move(settings);
    g.scopes = std::move(scopes);
    g.created = std::move(created);
    g.digest = sha256::of(secret);
    tokens_.push_back(std::move(g));
    return secret;
}

void token_store::revoke(const std::string& name) {
    const auto it = std::find_if(tokens_.begin(), tokens_.end(), [&](const token_grant& t) { return t.name == name; });
    if (it == tokens_.end()) throw error("", "no token named '" + name + "'");
    tokens_.erase(it);
}

void token_store::save(const fs::path& file) const {
    nlohmann::ordered_json list = nlohmann::ordered_json::array();
    for (const auto& t : tokens_)
        list.push_back({{"name", t.name},
                        {"settings", t.settings},
                        {"scopes", t.scopes},
                        {"created", t.created},
                        {"sha256", sha256::hex(t.digest)}});
    nlohmann::ordered_json j;
    j["format"] = file_format;
    j["tokens"] = std::move(list);
    atomic_file out(file);
    out.stream() << j.dump(2) << '\n';
    out.commit();
    std::error_code ec;
    fs::permissions(file, fs::perms::owner_read | fs::perms::owner_write, ec);
}

const token_grant* token_store::verify(std::string_view secret) const {
    const std::array<uint8_t, 32> presented = sha256::of(secret);
    const token_grant* match = nullptr;
    for (const auto& t : tokens_) // every hash is compared, so the time does not tell which one matched
        if (CRYPTO_memcmp(presented.data(), t.digest.data(), presented.size()) == 0) match = &t;
    return match;
}

} // namespace casedoc
