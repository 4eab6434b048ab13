// Limits on wasm input (nesting depth, locals per function), checked before wabt builds its IR.
#include "arm/select/wasm_limits.h"

#include <wabt/binary-reader-nop.h>
#include <wabt/binary-reader.h>

#include <algorithm>
#include <cstdio>
#include <string>
#include <utility>
#include <vector>

namespace vcr::select {
namespace {

std::string hexOffset(uint64_t offset) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "0x%llx", static_cast<unsigned long long>(offset));
  return buf;
}

/// A pass over the binary with no IR: counts nesting and locals per
/// function body and stops at the first limit exceeded.
class LimitReader : public wabt::BinaryReaderNop {
public:
  std::string problem;  ///< empty unless a limit was exceeded

  /// Malformed input: stop quietly; the real read reports it.
  bool OnError(const wabt::Error &) override { return true; }

  wabt::Result BeginFunctionBody(wabt::Index index, wabt::Offset) override {
    func_ = index;
    depth_ = 0;
    locals_ = 0;
    inBody_ = true;
    ended_ = false;
    return wabt::Result::Ok;
  }
  wabt::Result EndFunctionBody(wabt::Index) override {
    inBody_ = false;
    // wabt 1.0.32 accepts a body whose last `end` closes an inner block
    // and not the body itself: not valid wasm, refused here.
    if (!ended_) return over("the body ends inside a block (an `end` is missing)");
    return wabt::Result::Ok;
  }
  wabt::Result OnLocalDecl(wabt::Index, wabt::Index count, wabt::Type) override {
    locals_ += count;
    if (locals_ > kMaxLocals)
      return over("declares " + std::to_string(locals_) + "+ locals, more than the limit of " +
                  std::to_string(kMaxLocals));
    return wabt::Result::Ok;
  }
  wabt::Result OnOpcode(wabt::Opcode) override {
    if (inBody_ && ended_) return over("an instruction after the `end` that closes the function body");
    return wabt::Result::Ok;
  }
  wabt::Result OnBlockExpr(wabt::Type) override { return open(); }
  wabt::Result OnLoopExpr(wabt::Type) override { return open(); }
  wabt::Result OnIfExpr(wabt::Type) override { return open(); }
  wabt::Result OnTryExpr(wabt::Type) override { return open(); }
  wabt::Result OnEndExpr() override { return close(); }
  wabt::Result OnDelegateExpr(wabt::Index) override { return close(); }

private:
  wabt::Index func_ = 0;
  uint32_t depth_ = 0;
  uint64_t locals_ = 0;
  bool inBody_ = false;  ///< between BeginFunctionBody and EndFunctionBody
  bool ended_ = false;   ///< the body's own `end` has been read

  wabt::Result open() {
    // wabt 1.0.32's IR reader fails an assertion (abort) on a block in a
    // constant expression such as a global's initialiser: refuse it first.
    if (!inBody_) return malformed("block, loop, if or try in a constant expression");
    if (++depth_ > kMaxNesting)
      return over("block/loop/if nesting deeper than " + std::to_string(kMaxNesting));
    return wabt::Result::Ok;
  }
  wabt::Result close() {
    if (depth_ > 0) --depth_;
    else if (inBody_) ended_ = true;
    return wabt::Result::Ok;
  }
  wabt::Result over(const std::string &what) { return malformed("function " + std::to_string(func_) + ": " + what); }
  wabt::Result malformed(const std::string &what) {
    problem = what;
    if (state) problem += " (at byte offset " + hexOffset(state->offset) + ")";
    return wabt::Result::Error;
  }
};

bool separator(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '(' || c == ')' || c == ';';
}

/// The whole word `kw` starts at text[i].
bool wordAt(std::string_view text, size_t i, std::string_view kw) {
  if (text.compare(i, kw.size(), kw) != 0) return false;
  size_t e = i + kw.size();
  return e == text.size() || separator(text[e]);
}

/// Index just past the comment or string starting at text[i], or i if none does.
size_t skipCommentOrString(std::string_view text, size_t i) {
  if (text.compare(i, 2, ";;") == 0) {
    size_t nl = text.find('\n', i);
    return nl == std::string_view::npos ? text.size() : nl;
  }
  if (text.compare(i, 2, "(;") == 0) {  // block comments nest
    uint32_t open = 0;
    for (; i < text.size(); ++i) {
      if (text.compare(i, 2, "(;") == 0) ++open, ++i;
      else if (text.compare(i, 2, ";)") == 0 && --open == 0) return i + 2;
    }
    return text.size();
  }
  if (text[i] == '"') {
    for (++i; i < text.size() && text[i] != '"'; ++i)
      if (text[i] == '\\') ++i;
    return std::min(i + 1, text.size());
  }
  return i;
}

/// The offset of the first `(@` annotation whose closing parenthesis never
/// comes, if any. wabt 1.0.32's parser, with annotations on, skips an
/// annotation token by token and never stops at the end of the text: such
/// an input would hang it (found by the wat fuzzer).
std::optional<size_t> unterminatedAnnotation(std::string_view text) {
  std::vector<std::pair<size_t, bool>> open;  // '(' offset, and whether it opens an annotation
  for (size_t i = 0; i < text.size();) {
    if (size_t j = skipCommentOrString(text, i); j != i) {
      i = j;
      continue;
    }
    if (text[i] == '(') open.push_back({i, i + 1 < text.size() && text[i + 1] == '@'});
    else if (text[i] == ')' && !open.empty()) open.pop_back();
    ++i;
  }
  for (const auto &[at, annotation] : open)
    if (annotation) return at;
  return std::nullopt;
}

/// A diagnostic at offset `i` of `text`.
Diagnostic textDiagnostic(std::string_view text, std::string_view file, size_t i, std::string message) {
  Diagnostic d;
  d.file = std::string(file);
  std::string_view before = text.substr(0, i);
  d.line = 1 + static_cast<uint32_t>(std::count(before.begin(), before.end(), '\n'));
  size_t nl = before.rfind('\n');
  d.column = static_cast<uint32_t>(nl == std::string_view::npos ? i + 1 : i - nl);
  d.message = std::move(message);
  return d;
}

}  // namespace

std::optional<Diagnostic> checkBinaryLimits(const std::vector<uint8_t> &bytes, std::string_view file) {
  wabt::Features features;
  LimitReader reader;
  wabt::ReadBinaryOptions opts(features, nullptr, /*read_debug_names=*/false,
                               /*stop_on_first_error=*/true,
                               /*fail_on_custom_section_error=*/false);
  (void)wabt::ReadBinary(bytes.data(), bytes.size(), &reader, opts);
  if (reader.problem.empty()) return std::nullopt;
  Diagnostic d;
  d.file = std::string(file);
  d.message = reader.problem;
  return d;
}

std::optional<Diagnostic> checkTextLimits(std::string_view text, std::string_view file) {
  uint32_t depth = 0;
  bool wordStart = true;   // text[i] may start a word
  bool afterParen = false; // the last token was '(' (a folded form's keyword follows)
  for (size_t i = 0; i < text.size();) {
    if (size_t j = skipCommentOrString(text, i); j != i) {
      i = j;
      wordStart = true;
      continue;
    }
    const char c = text[i];
    const bool flat = wordStart && !afterParen &&
                      (wordAt(text, i, "block") || wordAt(text, i, "loop") || wordAt(text, i, "if"));
    if ((c == '(' || flat) && ++depth > kMaxNesting)
      return textDiagnostic(text, file, i,
                            "nesting deeper than " + std::to_string(kMaxNesting) + " (parentheses and block/loop/if)");
    if ((c == ')' || (wordStart && wordAt(text, i, "end"))) && depth > 0) --depth;
    const bool space = c == ' ' || c == '\t' || c == '\n' || c == '\r';
    if (!space) afterParen = c == '(';
    wordStart = separator(c);
    ++i;
  }
  if (auto at = unterminatedAnnotation(text))
    return textDiagnostic(text, file, *at, "annotation '(@' is never closed");
  return std::nullopt;
}

}  // namespace vcr::select
