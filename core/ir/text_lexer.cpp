// Lexer of the .mir text format: numbers, names, registers, punctuation, comments.
#include "core/ir/text_lexer.h"

namespace vcr::mir::detail {

namespace {

bool isIdentStart(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; }
bool isIdentChar(char c) { return isIdentStart(c) || isDigit(c) || c == '.'; }
bool isNameChar(char c) {
  return isIdentStart(c) || isDigit(c) || c == '.' || c == '$' || c == '-';
}
int hexValue(char c) {
  if (isDigit(c)) return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::string showChar(unsigned char c) {
  static const char *hex = "0123456789abcdef";
  if (c >= 0x20 && c < 0x7f) return std::string(1, static_cast<char>(c));
  return std::string("\\x") + hex[c >> 4] + hex[c & 15];
}

/// Splits the whole text into tokens; the last token is always End.
class Lexer {
public:
  explicit Lexer(std::string_view src) : src_(src) {}

  std::vector<Token> run() {
    std::vector<Token> out;
    while (true) {
      Token t = next();
      out.push_back(t);
      if (t.kind == Tok::End) return out;
    }
  }

private:
  std::string_view src_;
  size_t pos_ = 0;
  uint32_t line_ = 1, lineStart_ = 0;

  char peekc(size_t k = 0) const { return pos_ + k < src_.size() ? src_[pos_ + k] : '\0'; }
  bool more(size_t k = 0) const { return pos_ + k < src_.size(); }

  Token make(Tok k, size_t start) {
    Token t;
    t.kind = k;
    t.text = src_.substr(start, pos_ - start);
    t.line = line_;
    t.col = static_cast<uint32_t>(start - lineStart_ + 1);
    return t;
  }
  Token bad(size_t start, std::string msg) {
    if (pos_ == start) ++pos_;
    Token t = make(Tok::Bad, start);
    t.message = std::move(msg);
    return t;
  }

  /// Digits of a number at pos_ (decimal or 0x hex); false if malformed.
  bool digits(Num &n) {
    int base = 10;
    if (peekc() == '0' && (peekc(1) == 'x' || peekc(1) == 'X')) {
      base = 16;
      pos_ += 2;
    }
    size_t first = pos_;
    while (more()) {
      int d = base == 16 ? hexValue(peekc()) : (isDigit(peekc()) ? peekc() - '0' : -1);
      if (d < 0) break;
      n.mag = n.mag * static_cast<uint64_t>(base) + static_cast<uint64_t>(d);
      if (n.mag > 0xFFFFFFFFFFull) {
        n.overflow = true;
        n.mag = 0xFFFFFFFFFFull;
      }
      ++pos_;
    }
    if (pos_ == first || isIdentChar(peekc())) {
      while (more() && isIdentChar(peekc())) ++pos_;
      return false;
    }
    return true;
  }

  Token number(size_t start, Tok kind) {
    Num n;
    if (peekc() == '-') {
      n.neg = true;
      ++pos_;
    }
    if (!isDigit(peekc()))
      return bad(start, kind == Tok::Imm ? "expected a number after '#'" : "expected a number");
    if (!digits(n)) return bad(start, "malformed number '" + std::string(src_.substr(start, pos_ - start)) + "'");
    Token t = make(kind, start);
    t.num = n;
    return t;
  }

  Token next() {
    while (more()) {
      char c = peekc();
      if (c == ' ' || c == '\t' || c == '\r') {
        ++pos_;
      } else if (c == ';') {
        while (more() && peekc() != '\n') ++pos_;
      } else {
        break;
      }
    }
    size_t start = pos_;
    if (!more()) return make(Tok::End, start);
    char c = peekc();
    if (c == '\n') {
      ++pos_;
      Token t = make(Tok::Newline, start);
      ++line_;
      lineStart_ = pos_;
      return t;
    }
    if (isIdentStart(c)) {
      while (more() && isIdentChar(peekc())) ++pos_;
      return make(Tok::Ident, start);
    }
    if (isDigit(c)) return number(start, Tok::Number);
    if (c == '-') {
      if (peekc(1) == '>') {
        pos_ += 2;
        return make(Tok::Arrow, start);
      }
      return number(start, Tok::Number);
    }
    if (c == '#') {
      ++pos_;
      Token t = number(start, Tok::Imm);
      return t;
    }
    if (c == '@') {
      ++pos_;
      while (more() && isNameChar(peekc())) ++pos_;
      if (pos_ == start + 1) return bad(start, "expected a name after '@'");
      return make(Tok::Name, start);
    }
    ++pos_;
    switch (c) {
    case '{': return make(Tok::LBrace, start);
    case '}': return make(Tok::RBrace, start);
    case '(': return make(Tok::LParen, start);
    case ')': return make(Tok::RParen, start);
    case '[': return make(Tok::LBrack, start);
    case ']': return make(Tok::RBrack, start);
    case ',': return make(Tok::Comma, start);
    case ':': return make(Tok::Colon, start);
    case '+': return make(Tok::Plus, start);
    case '!': return make(Tok::Bang, start);
    default: break;
    }
    return bad(start, "unexpected character '" + showChar(static_cast<unsigned char>(c)) + "'");
  }
};

}  // namespace

std::vector<Token> lex(std::string_view src) { return Lexer(src).run(); }

}  // namespace vcr::mir::detail
