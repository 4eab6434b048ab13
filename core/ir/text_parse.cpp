// Parser of the .mir text format: a recursive-descent, line-oriented parser over
// the tokens of text_lexer.cpp (syntax: docs/mir.md; printer: text_print.cpp).
#include "core/ir/text.h"
#include "core/ir/text_lexer.h"
#include "core/ir/validate.h"

#include <span>
#include <tuple>
#include <unordered_map>

namespace vcr::mir {

namespace {

/// Highest vreg number the parser accepts (keeps vregInfo allocations sane);
/// validate.cpp rejects higher ones, so valid MIR always parses back.
constexpr uint32_t kMaxVReg = (1u << 20) - 1;
/// Parsing stops after this many errors.
constexpr size_t kMaxErrors = 20;
/// wasm's largest memory: 65536 pages of 64 KiB (4 GiB).
constexpr uint32_t kMaxMemoryPages = 65536;

using detail::Tok;
using detail::Num;
using detail::Token;
using detail::isDigit;

/// Thrown to abandon the current line (or the whole parse, at top level).
struct ParseError {
  uint32_t line, col;
  std::string message;
};

/// One operand as written, before the opcode says what it must be.
struct Raw {
  enum class Kind : uint8_t { Ident, Imm, Bracket } kind = Kind::Ident;
  std::string_view text;  ///< Ident: the word; Bracket: the base register
  Num num;                ///< Imm: the value; Bracket: the offset
  uint32_t line = 0, col = 0;
};

/// A branch target waiting for its label to be defined.
struct PendingLabel {
  std::string label;
  uint32_t line, col;
  size_t block, instr, slot;
};

std::string plural(size_t n, const char *word) {
  return std::to_string(n) + " " + word + (n == 1 ? "" : "s");
}

class Parser {
public:
  Parser(std::string_view text, std::string_view file) : toks_(detail::lex(text)), file_(file) {}

  ParseResult run();

private:
  std::vector<Token> toks_;
  size_t pos_ = 0;
  std::string file_;
  std::string fn_;  ///< current function name, for diagnostics
  Module mod_;
  Diagnostics diags_;
  std::vector<std::pair<uint32_t, uint32_t>> fnPos_;  ///< header position per function
  using Places = std::vector<std::vector<std::pair<uint32_t, uint32_t>>>;  ///< per block, per instruction
  std::vector<Places> instrPos_;  ///< per function: where each instruction starts
  Places bodyPos_;                ///< the same, for the function being parsed
  std::pair<uint32_t, uint32_t> modulePos_{1, 1};      ///< of 'module', else 1:1

  const Token &peek(size_t k = 0) const {
    return toks_[std::min(pos_ + k, toks_.size() - 1)];
  }
  const Token &next() {
    const Token &t = toks_[pos_];
    if (pos_ + 1 < toks_.size()) ++pos_;
    return t;
  }
  bool at(Tok k) const { return peek().kind == k; }
  bool atWord(std::string_view w) const { return at(Tok::Ident) && peek().text == w; }

  [[noreturn]] void fail(const Token &t, std::string msg) {
    if (t.kind == Tok::Bad) msg = t.message;
    throw ParseError{t.line, t.col, std::move(msg)};
  }
  [[noreturn]] void failAt(uint32_t line, uint32_t col, std::string msg) {
    throw ParseError{line, col, std::move(msg)};
  }
  void record(const ParseError &e) {
    Diagnostic d;
    d.file = file_;
    d.function = fn_;
    d.line = e.line;
    d.column = e.col;
    d.message = e.message;
    diags_.push_back(std::move(d));
  }

  static std::string describe(const Token &t) {
    switch (t.kind) {
    case Tok::Newline: return "end of line";
    case Tok::End: return "end of input";
    default: return "'" + std::string(t.text) + "'";
    }
  }
  const Token &expect(Tok k, const char *what) {
    if (!at(k)) fail(peek(), std::string("expected ") + what + ", got " + describe(peek()));
    return next();
  }
  void expectWord(std::string_view w) {
    if (!atWord(w)) fail(peek(), "expected '" + std::string(w) + "', got " + describe(peek()));
    next();
  }
  void endLine() {
    if (at(Tok::End)) return;
    if (!at(Tok::Newline)) fail(peek(), "expected end of line, got " + describe(peek()));
    next();
  }
  void skipNewlines() {
    while (at(Tok::Newline)) next();
  }
  void skipLine() {
    while (!at(Tok::Newline) && !at(Tok::End)) next();
    endLine();
  }

  /// The 32-bit value of a literal written as `text` at line:col;
  /// negative values are stored two's-complement.
  uint32_t toU32(std::string_view text, uint32_t line, uint32_t col, const Num &n, bool allowNeg) {
    if (n.overflow || (!n.neg && n.mag > 0xFFFFFFFFull) || (n.neg && n.mag > 0x80000000ull))
      failAt(line, col, "immediate " + std::string(text) + " out of 32-bit range");
    if (n.neg && !allowNeg)
      failAt(line, col, "expected a non-negative number, got '" + std::string(text) + "'");
    return n.neg ? static_cast<uint32_t>(0u - static_cast<uint32_t>(n.mag))
                 : static_cast<uint32_t>(n.mag);
  }
  uint32_t toU32(const Token &t, bool allowNeg) {
    return toU32(t.text, t.line, t.col, t.num, allowNeg);
  }
  uint32_t number(bool allowNeg, const char *what) {
    return toU32(expect(Tok::Number, what), allowNeg);
  }
  int32_t smallIndex(const char *what) {
    const Token &t = expect(Tok::Number, what);
    uint32_t v = toU32(t, false);
    if (v > 0x7FFFFFFFu) fail(t, std::string(what) + " too large");
    return static_cast<int32_t>(v);
  }
  /// "v12" -> 12; nullopt if `s` is not a vreg name. Throws if too large.
  std::optional<VReg> vregNumber(std::string_view s, uint32_t line, uint32_t col) {
    if (s.size() < 2 || s[0] != 'v') return std::nullopt;
    uint64_t v = 0;
    for (char c : s.substr(1)) {
      if (!isDigit(c)) return std::nullopt;
      v = std::min<uint64_t>(v * 10 + static_cast<uint64_t>(c - '0'), 1ull << 40);
    }
    if (v > kMaxVReg)
      failAt(line, col, "vreg number " + std::string(s) + " too large (at most v" +
                            std::to_string(kMaxVReg) + ")");
    return static_cast<VReg>(v);
  }

  void parseTop();
  void parseModuleHeader();
  Signature parseSig();
  void parseFunction();
  void parseBodyLine(Function &f, std::unordered_map<std::string, size_t> &labels,
                     std::vector<std::pair<uint32_t, uint32_t>> &labelPos,
                     std::vector<PendingLabel> &pending);
  void parseVRegLine(Function &f);
  Instr parseInstr(Function &f, std::vector<PendingLabel> &pending);
  Raw parseRaw();
  std::vector<Raw> parseRawList();
  Operand toOperand(const Raw &r);
  Operand toRegister(std::string_view s, uint32_t line, uint32_t col);
  void parseCall(Instr &in);
  void interpret(Instr &in, const Token &mt, const std::vector<Raw> &raws, Function &f,
                 std::vector<PendingLabel> &pending);
};

ParseResult Parser::run() {
  try {
    parseTop();
  } catch (const ParseError &e) {
    record(e);
  }
  ParseResult r;
  if (!diags_.empty()) {
    r.diags = std::move(diags_);
    return r;
  }
  Diagnostics vd;
  std::vector<size_t> fnIndex;  // per diagnostic: its function (two of one name are told apart)
  validateModule(mod_, vd, &fnIndex);
  for (size_t k = 0; k < vd.size(); ++k) {
    Diagnostic &d = vd[k];
    d.level = Diagnostic::Level::Error;
    d.file = file_;
    d.line = modulePos_.first;
    d.column = modulePos_.second;
    if (const size_t i = fnIndex[k]; i < mod_.functions.size() && i < fnPos_.size()) {
      // At the instruction where the validator names one, else at the
      // function's header.
      d.line = fnPos_[i].first;
      d.column = fnPos_[i].second;
      if (d.block >= 0 && d.instr >= 0 && i < instrPos_.size() && size_t(d.block) < instrPos_[i].size() &&
          size_t(d.instr) < instrPos_[i][d.block].size())
        std::tie(d.line, d.column) = instrPos_[i][d.block][d.instr];
    }
  }
  if (!vd.empty()) {
    r.diags = std::move(vd);
    return r;
  }
  r.module = std::move(mod_);
  return r;
}

void Parser::parseTop() {
  skipNewlines();
  if (atWord("module")) parseModuleHeader();
  while (true) {
    skipNewlines();
    if (at(Tok::End)) return;
    if (atWord("func")) {
      parseFunction();
    } else if (atWord("module")) {
      fail(peek(), "the 'module' header must come first and only once");
    } else {
      fail(peek(), "expected 'func' or 'module', got " + describe(peek()));
    }
  }
}

void Parser::parseModuleHeader() {
  modulePos_ = {peek().line, peek().col};
  next();
  expect(Tok::LBrace, "'{' after 'module'");
  endLine();
  while (true) {
    skipNewlines();
    if (at(Tok::RBrace)) {
      next();
      endLine();
      return;
    }
    if (atWord("memory")) {
      next();
      const Token &pt = peek();
      mod_.memoryPages = number(false, "a page count");
      if (mod_.memoryPages > kMaxMemoryPages)
        fail(pt, "memory of " + std::to_string(mod_.memoryPages) + " pages, more than wasm's " +
                     std::to_string(kMaxMemoryPages) + " (4 GiB)");
      if (atWord("max")) {
        next();
        const Token &mt = peek();
        const uint32_t max = number(false, "a maximum page count");
        if (max < mod_.memoryPages)
          fail(mt, "memory maximum " + std::to_string(max) + " is below the initial size " +
                       std::to_string(mod_.memoryPages));
        if (max > kMaxGrowPages)
          fail(mt, "memory maximum " + std::to_string(max) + " pages, more than " +
                       std::to_string(kMaxGrowPages) + " (R10 holds the size in bytes)");
        mod_.memoryMax = max;
      }
    } else if (atWord("global")) {
      next();
      const Token &it = peek();
      uint32_t idx = number(false, "a global index");
      if (idx != mod_.globals.size())
        fail(it, "global index " + std::to_string(idx) + " out of order, expected " +
                     std::to_string(mod_.globals.size()));
      Global g;
      if (atWord("mut")) {
        g.mut = true;
      } else if (atWord("const")) {
        g.mut = false;
      } else {
        fail(peek(), "expected 'mut' or 'const', got " + describe(peek()));
      }
      next();
      g.init = number(true, "an initial value");
      mod_.globals.push_back(g);
    } else if (atWord("import")) {
      next();
      Import im;
      im.name = std::string(expect(Tok::Name, "an '@name' after 'import'").text.substr(1));
      im.sig = parseSig();
      mod_.imports.push_back(std::move(im));
    } else if (atWord("data")) {
      next();
      const Token &it = peek();
      if (number(false, "a data segment index") != mod_.data.size())
        fail(it, "data segment index out of order, expected " + std::to_string(mod_.data.size()));
      DataSegment seg;
      if (!atWord("passive") && !atWord("active"))
        fail(peek(), "expected 'passive' or 'active', got " + describe(peek()));
      seg.passive = atWord("passive");
      next();
      while (at(Tok::Number)) {
        const Token &bt = peek();
        const uint32_t b = number(false, "a byte");
        if (b > 255 || !seg.passive) fail(bt, seg.passive ? "a byte is 0..255" : "an active segment has no bytes");
        seg.bytes.push_back(static_cast<uint8_t>(b));
      }
      mod_.data.push_back(std::move(seg));
    } else if (atWord("type")) {  // calli signature ids, in order
      next();
      const Token &it = peek();
      if (number(false, "a signature id") != mod_.types.size())
        fail(it, "signature id out of order, expected " + std::to_string(mod_.types.size()));
      mod_.types.push_back(parseSig());
    } else if (atWord("table")) {  // the function table's size; slots start null
      next();
      const Token &it = peek();
      const uint32_t n = number(false, "a table size");
      if (n > (1u << 20)) fail(it, "table of more than 2^20 slots");
      mod_.table.assign(n, TableSlot{});
    } else if (atWord("elem")) {  // elem SLOT @f TYPE | elem SLOT opaque
      next();
      const Token &it = peek();
      const uint32_t k = number(false, "a table slot");
      if (k >= mod_.table.size()) fail(it, "table slot out of range (declare 'table N' first)");
      TableSlot &sl = mod_.table[k];
      if (atWord("opaque")) {
        next();
        sl.kind = TableSlot::Kind::Opaque;
      } else {
        sl.kind = TableSlot::Kind::Func;
        sl.func = std::string(expect(Tok::Name, "'@function' or 'opaque'").text.substr(1));
        sl.type = number(false, "a signature id");
      }
    } else {
      fail(peek(), "expected 'memory', 'global', 'import', 'data', 'type', 'table', 'elem' or '}' in the "
                   "module header, got " + describe(peek()));
    }
    endLine();
  }
}

Signature Parser::parseSig() {
  auto types = [&](std::vector<ValType> &out) {
    expect(Tok::LParen, "'('");
    if (at(Tok::RParen)) {
      next();
      return;
    }
    while (true) {
      const Token &t = expect(Tok::Ident, "a type");
      if (t.text == "i32") {
        out.push_back(ValType::I32);
      } else if (t.text == "i64") {
        out.push_back(ValType::I64);
      } else if (t.text == "f32") {
        out.push_back(ValType::F32);
      } else if (t.text == "f64") {
        out.push_back(ValType::F64);
      } else {
        fail(t, "unknown type '" + std::string(t.text) + "' (expected i32, i64, f32 or f64)");
      }
      if (at(Tok::RParen)) {
        next();
        return;
      }
      expect(Tok::Comma, "',' or ')'");
    }
  };
  Signature s;
  types(s.params);
  expect(Tok::Arrow, "'->'");
  types(s.results);
  return s;
}

void Parser::parseFunction() {
  const Token &ft = next();
  Function f;
  f.name = std::string(expect(Tok::Name, "'@name' after 'func'").text.substr(1));
  fn_ = f.name;
  bodyPos_.clear();
  f.sig = parseSig();
  if (atWord("allocated")) {
    next();
    f.allocated = true;
  }
  expect(Tok::LBrace, "'{'");
  endLine();
  std::unordered_map<std::string, size_t> labels;
  std::vector<std::pair<uint32_t, uint32_t>> labelPos;
  std::vector<PendingLabel> pending;
  while (true) {
    skipNewlines();
    if (at(Tok::RBrace)) break;
    if (at(Tok::End)) fail(peek(), "unexpected end of input: missing '}' closing the function");
    try {
      parseBodyLine(f, labels, labelPos, pending);
    } catch (const ParseError &e) {
      record(e);
      if (diags_.size() >= kMaxErrors) failAt(e.line, e.col, "too many errors; giving up");
      skipLine();
    }
  }
  next();
  for (const PendingLabel &p : pending) {
    auto it = labels.find(p.label);
    if (it == labels.end()) {
      record({p.line, p.col, "unknown label '" + p.label + "'"});
      continue;
    }
    f.blocks[p.block].instrs[p.instr].targets[p.slot] = static_cast<BlockId>(it->second);
  }
  if (diags_.size() >= kMaxErrors) failAt(ft.line, ft.col, "too many errors; giving up");
  endLine();
  mod_.functions.push_back(std::move(f));
  fnPos_.emplace_back(ft.line, ft.col);
  instrPos_.push_back(std::move(bodyPos_));
  bodyPos_.clear();
  fn_.clear();
}

void Parser::parseBodyLine(Function &f, std::unordered_map<std::string, size_t> &labels,
                           std::vector<std::pair<uint32_t, uint32_t>> &labelPos,
                           std::vector<PendingLabel> &pending) {
  const Token &t = peek();
  if (t.kind == Tok::Ident && peek(1).kind == Tok::Colon) {
    std::string name(t.text);
    auto [it, fresh] = labels.emplace(name, f.blocks.size());
    if (!fresh)
      fail(t, "duplicate label '" + name + "' (first defined at line " +
                  std::to_string(labelPos[it->second].first) + ")");
    next();
    next();
    f.blocks.push_back(Block{name, {}});
    labelPos.emplace_back(t.line, t.col);
    bodyPos_.emplace_back();
    endLine();
    return;
  }
  if (t.kind == Tok::Ident && (t.text == "wasm" || t.text == "vreg")) {
    if (!f.blocks.empty())
      fail(t, "'" + std::string(t.text) + "' lines must come before the first block");
    if (t.text == "wasm") {
      next();
      if (f.wasmIndex >= 0) fail(t, "duplicate 'wasm' line");
      f.wasmIndex = smallIndex("a wasm function index");
    } else {
      parseVRegLine(f);
    }
    endLine();
    return;
  }
  if (t.kind != Tok::Ident) fail(t, "expected an instruction or a label, got " + describe(t));
  if (f.blocks.empty()) {
    // A word that is no opcode is more likely a mistyped (or cut-off)
    // label or 'wasm'/'vreg' line than an instruction.
    const std::string_view w = t.text;
    const bool opcodeLike = opcodeFromMnemonic(w) || w.starts_with("fset.") ||
                            (w.find('.') != std::string_view::npos && opcodeFromMnemonic(w.substr(0, w.find('.'))));
    if (!opcodeLike)
      fail(t, "expected a block label (like 'bb0:'), a 'wasm' line or a 'vreg' line, got '" + std::string(w) + "'");
    fail(t, "instruction before the first block label");
  }
  // Label references are committed only once the whole line parsed.
  std::vector<PendingLabel> local;
  const std::pair<uint32_t, uint32_t> at{t.line, t.col};
  Instr in = parseInstr(f, local);
  pending.insert(pending.end(), local.begin(), local.end());
  f.blocks.back().instrs.push_back(std::move(in));
  if (!bodyPos_.empty()) bodyPos_.back().push_back(at);
}

void Parser::parseVRegLine(Function &f) {
  next();
  const Token &vt = expect(Tok::Ident, "a vreg after 'vreg'");
  auto v = vregNumber(vt.text, vt.line, vt.col);
  if (!v) fail(vt, "expected a vreg like 'v3', got " + describe(vt));
  VRegInfo vi;
  const Token &kt = expect(Tok::Ident, "a vreg kind (temp, param, local, stack)");
  bool known = false;
  for (auto k : {VRegInfo::Kind::Temp, VRegInfo::Kind::Param, VRegInfo::Kind::Local,
                 VRegInfo::Kind::Stack})
    if (kt.text == vregKindName(k)) vi.kind = k, known = true;
  if (!known) fail(kt, "unknown vreg kind '" + std::string(kt.text) + "'");
  if (at(Tok::Number)) vi.index = smallIndex("a vreg index");
  if (atWord("hi")) {
    next();
    const Token &ht = expect(Tok::Ident, "a vreg after 'hi'");
    auto lo = vregNumber(ht.text, ht.line, ht.col);
    if (!lo) fail(ht, "expected a vreg like 'v3' after 'hi', got " + describe(ht));
    vi.hiOf = static_cast<int32_t>(*lo);
  }
  if (*v < f.vregInfo.size()) {
    const VRegInfo &old = f.vregInfo[*v];
    if (old.kind != VRegInfo::Kind::Temp || old.index >= 0 || old.hiOf >= 0)
      fail(vt, "duplicate 'vreg' line for " + std::string(vt.text));
  } else {
    f.vregInfo.resize(*v + 1);
  }
  f.vregInfo[*v] = vi;
}

Raw Parser::parseRaw() {
  const Token &t = peek();
  Raw r;
  r.line = t.line;
  r.col = t.col;
  if (t.kind == Tok::Ident) {
    r.kind = Raw::Kind::Ident;
    r.text = next().text;
  } else if (t.kind == Tok::Imm) {
    r.kind = Raw::Kind::Imm;
    r.text = t.text;
    r.num = next().num;
  } else if (t.kind == Tok::LBrack) {
    next();
    r.kind = Raw::Kind::Bracket;
    r.text = expect(Tok::Ident, "a register after '['").text;
    if (at(Tok::Plus)) {
      next();
      const Token &o = expect(Tok::Number, "an offset after '+'");
      toU32(o, false);
      r.num = o.num;
    }
    expect(Tok::RBrack, "']'");
  } else if (t.kind == Tok::Number) {
    fail(t, "expected an operand, got " + describe(t) + " (immediates are written '#" +
                std::string(t.text) + "')");
  } else {
    fail(t, "expected an operand, got " + describe(t));
  }
  return r;
}

std::vector<Raw> Parser::parseRawList() {
  std::vector<Raw> out;
  auto atEnd = [&] { return at(Tok::Newline) || at(Tok::End) || at(Tok::Bang); };
  if (atEnd()) return out;
  while (true) {
    out.push_back(parseRaw());
    if (at(Tok::Comma)) {
      next();
      continue;
    }
    if (atEnd()) return out;
    fail(peek(), "expected ',' after operand");
  }
}

Operand Parser::toRegister(std::string_view s, uint32_t line, uint32_t col) {
  if (auto v = vregNumber(s, line, col)) return Operand::vreg(*v);
  if (auto p = pregFromName(s)) return Operand::preg(*p);
  if (s.size() >= 2 && s.size() <= 3 && (s[0] == 's' || s[0] == 'd') && isDigit(s[1]) &&
      (s.size() == 2 || (s[1] != '0' && isDigit(s[2])))) {
    const uint32_t n = static_cast<uint32_t>(std::stoul(std::string(s.substr(1))));
    if (s[0] == 's' && n < kNumSRegs) return Operand::sreg(n);
    if (s[0] == 'd' && n < kNumDRegs) return Operand::dreg(n);
    failAt(line, col, "no VFP register '" + std::string(s) + "' (s0..s31, d0..d15)");
  }
  failAt(line, col, "unknown register '" + std::string(s) + "'");
}

Operand Parser::toOperand(const Raw &r) {
  switch (r.kind) {
  case Raw::Kind::Ident: return toRegister(r.text, r.line, r.col);
  case Raw::Kind::Imm: return Operand::imm(toU32(r.text, r.line, r.col, r.num, true));
  case Raw::Kind::Bracket:
    if (r.text != "sp")
      failAt(r.line, r.col,
             "memory operand '[" + std::string(r.text) +
                 "+...]' is only allowed as the address of load/store (stack slots are [sp+N])");
    return Operand::stack(static_cast<uint32_t>(r.num.mag));
  }
  failAt(r.line, r.col, "bad operand");
}

void Parser::parseCall(Instr &in) {
  Operand index;
  if (in.op == Opcode::CallInd) {  // calli #SIG, INDEX (args) -> (results)
    const Raw sig = parseRaw();
    if (sig.kind != Raw::Kind::Imm) failAt(sig.line, sig.col, "expected a signature id '#N' after 'calli'");
    in.imm = toU32(sig.text, sig.line, sig.col, sig.num, false);
    expect(Tok::Comma, "',' after the signature id");
    index = toOperand(parseRaw());
  } else {
    in.callee = std::string(expect(Tok::Name, "'@callee' after 'call'").text.substr(1));
  }
  auto list = [&](OperandList &out) {
    expect(Tok::LParen, "'('");
    if (at(Tok::RParen)) {
      next();
      return;
    }
    while (true) {
      out.push_back(toOperand(parseRaw()));
      if (at(Tok::RParen)) {
        next();
        return;
      }
      if (!at(Tok::Comma)) fail(peek(), "expected ',' or ')' after operand");
      next();
    }
  };
  list(in.uses);
  expect(Tok::Arrow, "'->' after the call arguments");
  list(in.defs);
  if (in.op == Opcode::CallInd) in.uses.push_back(index);
}

Instr Parser::parseInstr(Function &f, std::vector<PendingLabel> &pending) {
  const Token &mt = next();
  std::string_view word = mt.text, mnem = word, suffix;
  bool hasSuffix = false;
  // A float opcode's mnemonic includes its dots (fadd.f32, fcvt.f32.s32);
  // fset carries its condition in the middle (fset.lt.f32).
  std::string fsetMnem;
  std::optional<Cond> fcc;
  if (word.starts_with("fset.") && word.size() > 9) {
    fsetMnem = "fset" + std::string(word.substr(word.size() - 4));
    const std::string_view cc = word.substr(5, word.size() - 9);
    fcc = fcondFromName(cc);
    if (!fcc) fail(mt, "unknown fset condition '" + std::string(cc) + "' (eq ne lt gt le ge)");
    mnem = fsetMnem;
  } else if (opcodeFromMnemonic(word)) {
    mnem = word;
  } else if (size_t dot = word.find('.'); dot != std::string_view::npos) {
    mnem = word.substr(0, dot);
    suffix = word.substr(dot + 1);
    hasSuffix = true;
  }
  auto op = opcodeFromMnemonic(mnem);
  if (!op) fail(mt, "unknown opcode '" + std::string(word) + "'");
  Instr in;
  in.op = *op;
  if (fcc) in.cc = *fcc;
  if ((in.op == Opcode::FSet32 || in.op == Opcode::FSet64) && !fcc)
    fail(mt, "'fset' needs a condition code, e.g. 'fset.lt.f32'");
  std::string m(mnem);
  switch (in.op) {
  case Opcode::Set:
  case Opcode::Set64: {
    if (!hasSuffix) fail(mt, "'" + m + "' needs a condition code, e.g. '" + m + ".slt'");
    auto cc = condFromName(suffix);
    if (!cc) fail(mt, "unknown condition code '" + std::string(suffix) + "'");
    in.cc = *cc;
    break;
  }
  case Opcode::Load:
  case Opcode::Store: {
    // A missing width means 32 bits; the printer always writes it.
    const bool load = in.op == Opcode::Load;
    static const std::pair<std::string_view, Width> kLoad[] = {
        {"32", Width::W32}, {"u8", Width::U8}, {"s8", Width::S8},
        {"u16", Width::U16}, {"s16", Width::S16}};
    static const std::pair<std::string_view, Width> kStore[] = {
        {"32", Width::W32}, {"8", Width::U8}, {"16", Width::U16}};
    bool found = !hasSuffix;
    using Table = std::span<const std::pair<std::string_view, Width>>;
    for (auto &[n, w] : load ? Table(kLoad) : Table(kStore))
      if (hasSuffix && suffix == n) in.width = w, found = true;
    if (!found)
      fail(mt, "unknown " + m + " width '" + std::string(suffix) +
                   (load ? "' (u8 s8 u16 s16 32)" : "' (8 16 32)"));
    break;
  }
  default:
    if (hasSuffix) fail(mt, "'" + m + "' takes no suffix");
  }
  if (isCall(in.op)) {
    parseCall(in);
  } else {
    std::vector<Raw> raws = parseRawList();
    interpret(in, mt, raws, f, pending);
  }
  if (at(Tok::Bang)) {
    next();
    const Token &ot = expect(Tok::Ident, "an origin after '!'");
    auto o = originFromName(ot.text);
    if (!o) fail(ot, "unknown origin '" + std::string(ot.text) + "'");
    in.origin = *o;
  }
  endLine();
  return in;
}

void Parser::interpret(Instr &in, const Token &mt, const std::vector<Raw> &raws, Function &f,
                       std::vector<PendingLabel> &pending) {
  const OpcodeInfo &oi = info(in.op);
  const std::string m(oi.mnemonic);
  size_t nd = oi.ndefs < 0 ? 0 : static_cast<size_t>(oi.ndefs);
  size_t nu = oi.nuses < 0 ? 0 : static_cast<size_t>(oi.nuses);
  // What follows the defs and uses: an immediate, labels or a trap reason.
  size_t extra = 0;
  bool moreLabels = false;
  std::string extraText;
  switch (in.op) {
  case Opcode::Param:
  case Opcode::Pop: nd = raws.size(); break;
  case Opcode::Push:
  case Opcode::Ret: nu = raws.size(); break;
  case Opcode::MovI:
  case Opcode::GGet:
  case Opcode::GSet:
  case Opcode::AdjSp: extra = 1, extraText = " plus an immediate"; break;
  case Opcode::Br: extra = 1, extraText = " plus 1 label"; break;
  case Opcode::BrIf: extra = 2, extraText = " plus 2 labels"; break;
  case Opcode::BrTable: extra = 1, moreLabels = true, extraText = " plus at least 1 label"; break;
  case Opcode::Trap:
  case Opcode::TrapIf: extra = 1, extraText = " plus a trap reason"; break;
  default: break;
  }
  size_t want = nd + nu + extra;
  if (raws.size() != want && !(moreLabels && raws.size() > want))
    fail(mt, "operand count: '" + m + "' takes " + plural(nd, "def") + " and " +
                 plural(nu, "use") + extraText + ", got " + plural(raws.size(), "operand"));
  const bool memory = isLinearMemoryOp(in.op);
  for (size_t i = 0; i < nd + nu; ++i) {
    const Raw &r = raws[i];
    if (memory && i + 1 == nd + nu) {
      if (r.kind != Raw::Kind::Bracket)
        failAt(r.line, r.col,
               "expected a memory operand '[reg+offset]' as the address of '" + m + "'");
      in.uses.push_back(toRegister(r.text, r.line, r.col));
      in.imm = static_cast<uint32_t>(r.num.mag);
      continue;
    }
    (i < nd ? in.defs : in.uses).push_back(toOperand(r));
  }
  for (size_t i = nd + nu; i < raws.size(); ++i) {
    const Raw &r = raws[i];
    switch (in.op) {
    case Opcode::Trap:
    case Opcode::TrapIf: {
      auto reason = r.kind == Raw::Kind::Ident ? trapFromName(r.text) : std::nullopt;
      if (!reason)
        failAt(r.line, r.col, "expected a trap reason (unreachable, divzero, overflow, oob)");
      in.reason = *reason;
      break;
    }
    case Opcode::Br:
    case Opcode::BrIf:
    case Opcode::BrTable:
      if (r.kind != Raw::Kind::Ident) failAt(r.line, r.col, "expected a label");
      pending.push_back({std::string(r.text), r.line, r.col, f.blocks.size() - 1,
                         f.blocks.back().instrs.size(), in.targets.size()});
      in.targets.push_back(0);
      break;
    default:
      if (r.kind != Raw::Kind::Imm) failAt(r.line, r.col, "expected an immediate '#N'");
      in.imm = toU32(r.text, r.line, r.col, r.num, true);
    }
  }
}

}  // namespace

ParseResult parseModule(std::string_view text, std::string_view file) {
  return Parser(text, file).run();
}

}  // namespace vcr::mir
