#pragma once
/// Internal to core/ir: the tokens of the .mir text format and the lexer
/// that produces them (used by text_parse.cpp).

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace vcr::mir::detail {

enum class Tok : uint8_t {
  Ident, Number, Imm, Name, LBrace, RBrace, LParen, RParen, LBrack, RBrack,
  Comma, Colon, Plus, Bang, Arrow, Newline, End, Bad
};

/// A signed integer literal as written: magnitude, sign and overflow.
struct Num {
  uint64_t mag = 0;
  bool neg = false;
  bool overflow = false;
};

struct Token {
  Tok kind = Tok::End;
  std::string_view text;
  uint32_t line = 1, col = 1;
  Num num;              ///< Number and Imm
  std::string message;  ///< Bad: what is wrong
};

/// Split the whole text into tokens; the last token is always End. Bad
/// tokens carry their message; the lexer itself never fails.
[[nodiscard]] std::vector<Token> lex(std::string_view src);

/// True for 0-9.
[[nodiscard]] inline bool isDigit(char c) { return c >= '0' && c <= '9'; }

}  // namespace vcr::mir::detail
