/** Small dense linear algebra for Kernel SHAP's weighted least squares (n ≤ a few hundred). */

/**
 * Solves A·X = B for a symmetric positive (semi-)definite n × n matrix A (row-major) and n × k right-hand sides B,
 * by Cholesky. When A is singular (fewer distinct coalitions than features), a ridge λ·I with λ = 1e-10·mean(diag)
 * (growing ×100 until it factors) is added and `ridge` reports it. A and B are not modified.
 */
export function solveSpd(A: Float64Array, B: Float64Array, n: number, k: number): { x: Float64Array; ridge: number } {
  let mean = 0;
  for (let i = 0; i < n; i++) mean += A[i * n + i]!;
  mean = Math.max(mean / Math.max(n, 1), 1e-300);
  for (let ridge = 0; ; ridge = ridge === 0 ? mean * 1e-10 : ridge * 100) {
    const L = cholesky(A, n, ridge);
    if (L) return { x: cholSolve(L, B, n, k), ridge };
    if (ridge > mean * 1e6) throw new Error('the least-squares system could not be solved');
  }
}

/** Lower-triangular L with A + ridge·I = L·Lᵀ, or null when a pivot is not clearly positive. */
function cholesky(A: Float64Array, n: number, ridge: number): Float64Array | null {
  const L = new Float64Array(n * n);
  let maxDiag = 0;
  for (let i = 0; i < n; i++) maxDiag = Math.max(maxDiag, A[i * n + i]! + ridge);
  const tol = maxDiag * 1e-13;
  for (let j = 0; j < n; j++) {
    let d = A[j * n + j]! + ridge;
    for (let p = 0; p < j; p++) d -= L[j * n + p]! ** 2;
    if (!(d > tol)) return null;
    const ljj = Math.sqrt(d);
    L[j * n + j] = ljj;
    for (let i = j + 1; i < n; i++) {
      let s = A[i * n + j]!;
      for (let p = 0; p < j; p++) s -= L[i * n + p]! * L[j * n + p]!;
      L[i * n + j] = s / ljj;
    }
  }
  return L;
}

function cholSolve(L: Float64Array, B: Float64Array, n: number, k: number): Float64Array {
  const X = Float64Array.from(B);
  for (let c = 0; c < k; c++) {
    for (let i = 0; i < n; i++) {
      let s = X[i * k + c]!;
      for (let p = 0; p < i; p++) s -= L[i * n + p]! * X[p * k + c]!;
      X[i * k + c] = s / L[i * n + i]!;
    }
    for (let i = n - 1; i >= 0; i--) {
      let s = X[i * k + c]!;
      for (let p = i + 1; p < n; p++) s -= L[p * n + i]! * X[p * k + c]!;
      X[i * k + c] = s / L[i * n + i]!;
    }
  }
  return X;
}
