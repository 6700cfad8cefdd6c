// The service's API tokens: who may call it, for which settings and which operations. The file keeps only
// a SHA-256 hash of each secret (the secret, 256 random bits, is shown once when the token is made), and a
// presented token is compared with every stored hash in constant time.
#ifndef CASEDOC_SERVE_TOKEN_STORE_HPP
#define CASEDOC_SERVE_TOKEN_STORE_HPP

#include <array>
#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace casedoc {

// What one token may do. "*" among the settings: every setting.
struct token_grant {
    std::string name;
    std::vector<std::string> settings, scopes;
    std::string created; // UTC, YYYY-MM-DDThh:mm:ssZ
    std::array<uint8_t, 32> digest{}; // SHA-256 of the secret

    bool allows_setting(std::string_view setting) const;
    bool allows_scope(std::string_view scope) const;
};

// The operations a token may be granted, in the order shown to users.
const std::vector<std::string>& token_scopes();

class token_store {
public:
    // Reads a tokens file (casedoc-tokens/1). Throws casedoc::error naming the file for one that cannot be
    // read or is not such a file. load_or_empty: a file that does not exist is an empty store.
    static token_store load(const std::filesystem::path& file);
    static token_store load_or_empty(const std::filesystem::path& file);

    // Adds a token and returns its secret (shown once: only its hash is kept). Throws casedoc::error for a
    // name already used or malformed, an unknown scope, or an empty list of settings or scopes.
    std::string add(const std::string& name, std::vector<std::string> settings, std::vector<std::string> scopes,
                    std::string created);
    // Throws casedoc::error when no token has that name.
    void revoke(const std::string& name);
    // Writes the store atomically, readable by its owner only.
    void save(const std::filesystem::path& file) const;

    const std::vector<token_grant>& tokens() const noexcept { return tokens_; }
    // The grant of the token whose secret this is, or null. Takes the same time whichever token matches.
    const token_grant* verify(std::string_view secret) const;

private:
    std::vector<token_grant> tokens_;
};

} // namespace casedoc

#endif
