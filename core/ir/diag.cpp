// Formatting of diagnostics.
#include "core/ir/diag.h"

namespace vcr {

std::string Diagnostic::str() const {
  std::string s = file.empty() ? std::string("<input>") : file;
  if (line) {
    s += ":" + std::to_string(line);
    if (column) s += ":" + std::to_string(column);
  }
  switch (level) {
  case Level::Error: s += ": error: "; break;
  case Level::Warning: s += ": warning: "; break;
  case Level::Note: s += ": note: "; break;
  }
  if (!function.empty()) s += "in function '" + function + "': ";
  return s + message;
}

}  // namespace vcr
