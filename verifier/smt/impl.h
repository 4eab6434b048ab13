#pragma once
/// Private to verifier/smt: the Z3 objects behind Context and Model. Only
/// smt/*.cpp include this header (and through it z3++.h).

#include "verifier/smt/smt.h"

#include <z3++.h>

#include <stdexcept>
#include <vector>

namespace vcr::verifier::smt {

/// The Z3 context shared by every smt::Context of a thread. Z3 4.8.12 makes
/// creating and deleting contexts very slow (tens of ms each) once any
/// solver has run in the process, so one context lives as long as the
/// thread; an smt::Context owns only its expression table.
inline z3::context &threadZ3() {
  thread_local z3::context z;
  return z;
}

/// The Z3 context and the table of expressions the Term handles index.
struct Context::Impl {
  z3::context &z = threadZ3();
  std::vector<z3::expr> terms;  ///< terms[0] is a placeholder

  Impl() { terms.push_back(z.bool_val(true)); }
  /// Store an expression and return its handle.
  Term add(const z3::expr &e) {
    terms.push_back(e);
    return Term{static_cast<uint32_t>(terms.size() - 1)};
  }
  /// The expression of a handle; throws on an invalid handle.
  const z3::expr &get(Term t) const {
    if (t.id == 0 || t.id >= terms.size()) throw std::logic_error("smt: invalid term handle");
    return terms[t.id];
  }
};

/// A Z3 model together with the context its terms live in.
struct Model::Impl {
  const Context::Impl *ctx;
  z3::model model;
};

}  // namespace vcr::verifier::smt
