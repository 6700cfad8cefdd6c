// Failures of the environment: unreadable or malformed files, bad schemas, broken plugins, bad usage.
// Each names the file (and line and column where there is one); the program exits with status 2.
#ifndef CASEDOC_BASE_ERROR_HPP
#define CASEDOC_BASE_ERROR_HPP

#include <stdexcept>
#include <string>

namespace casedoc {

class error : public std::runtime_error {
public:
    // `file` may be empty (bad usage); line/column are 1-based, 0 when unknown.
    error(std::string file, unsigned line, unsigned column, const std::string& message)
        : std::runtime_error(format(file, line, column, message)), file_(std::move(file)), line_(line),
          column_(column), message_(message) {}
    error(std::string file, const std::string& message) : error(std::move(file), 0, 0, message) {}

    const std::string& file() const noexcept { return file_; }
    unsigned line() const noexcept { return line_; }
    unsigned column() const noexcept { return column_; }
    // The message without the file prefix.
    const std::string& message() const noexcept { return message_; }

private:
    static std::string format(const std::string& file, unsigned line, unsigned column, const std::string& message) {
        std::string out = file;
        if (line > 0) {
            out += ':';
            out += std::to_string(line);
            out += ':';
            out += std::to_string(column);
        }
        if (!out.empty()) out += ": ";
        return out + message;
    }
    std::string file_;
    unsigned line_, column_;
    std::string message_;
};

} // namespace casedoc

#endif // CASEDOC_BASE_ERROR_HPP
