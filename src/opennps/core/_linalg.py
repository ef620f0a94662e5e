"""The little linear algebra key-driver analysis needs, in pure Python (private).

Correlation matrices, Jacobi eigen-decomposition of a symmetric matrix, and R² of every
subset of predictors by growing a Cholesky factor one predictor at a time. Matrices are
lists of rows; sizes here are at most a few dozen.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

__all__ = ["CollinearityError", "correlation_matrix", "jacobi_eigen", "subset_r_squared"]

Matrix = list[list[float]]


class CollinearityError(ArithmeticError):
    """A predictor is (numerically) a linear combination of others; ``indices`` names them."""

    def __init__(self, indices: tuple[int, ...]) -> None:
        super().__init__(indices)
        self.indices = indices


def correlation_matrix(columns: Sequence[Sequence[float]]) -> Matrix:
    """Pearson correlations between equally long, non-constant columns.

    >>> correlation_matrix([[1.0, 2.0, 3.0], [2.0, 4.0, 7.0]])[0][1]  # doctest: +ELLIPSIS
    0.9933...
    """
    centred = []
    for column in columns:
        mean = math.fsum(column) / len(column)
        deviations = [x - mean for x in column]
        norm = math.sqrt(math.fsum(d * d for d in deviations))
        centred.append([d / norm for d in deviations])
    size = len(centred)
    matrix = [[1.0] * size for _ in range(size)]
    for i in range(size):
        for j in range(i + 1, size):
            value = math.fsum(a * b for a, b in zip(centred[i], centred[j], strict=True))
            matrix[i][j] = matrix[j][i] = max(-1.0, min(1.0, value))
    return matrix


def _rotate_columns(rows: Matrix, p: int, q: int, c: float, s: float) -> None:
    for row in rows:
        x, y = row[p], row[q]
        row[p] = c * x - s * y
        row[q] = s * x + c * y


def _rotate_rows(rows: Matrix, p: int, q: int, c: float, s: float) -> None:
    row_p, row_q = rows[p], rows[q]
    for k in range(len(row_p)):
        x, y = row_p[k], row_q[k]
        row_p[k] = c * x - s * y
        row_q[k] = s * x + c * y


def jacobi_eigen(matrix: Sequence[Sequence[float]], *, max_sweeps: int = 100
                 ) -> tuple[list[float], Matrix]:
    """Eigenvalues and eigenvectors (as the columns of a matrix) of a symmetric matrix.

    Cyclic Jacobi rotations until the off-diagonal part vanishes to double precision.

    >>> values, vectors = jacobi_eigen([[2.0, 1.0], [1.0, 2.0]])
    >>> sorted(round(v, 12) for v in values)
    [1.0, 3.0]
    """
    a = [list(map(float, row)) for row in matrix]
    size = len(a)
    v = [[1.0 if i == j else 0.0 for j in range(size)] for i in range(size)]
    scale = math.fsum(x * x for row in a for x in row)

    for _sweep in range(max_sweeps):
        off = math.fsum(a[i][j] ** 2 for i in range(size) for j in range(i + 1, size))
        if off <= 1e-30 * scale:
            break
        for p in range(size - 1):
            for q in range(p + 1, size):
                if a[p][q] == 0.0:
                    continue
                theta = (a[q][q] - a[p][p]) / (2.0 * a[p][q])
                t = math.copysign(1.0, theta) / (abs(theta) + math.sqrt(theta * theta + 1.0))
                c = 1.0 / math.sqrt(t * t + 1.0)
                s = t * c
                _rotate_columns(a, p, q, c, s)
                _rotate_rows(a, p, q, c, s)
                _rotate_columns(v, p, q, c, s)
    return [a[i][i] for i in range(size)], v


def subset_r_squared(correlations: Sequence[Sequence[float]],
                     outcome_correlations: Sequence[float], *,
                     tolerance: float = 1e-10) -> list[float]:
    """R² of the regression on every subset of predictors, indexed by bit mask.

    Entry ``mask`` is the R² with predictor ``j`` included when bit ``j`` is set. Each
    subset extends the Cholesky factor of its parent (the subset without its last
    predictor) by one row, so all 2^p values cost O(2^p·p²). Raises
    :class:`CollinearityError` when a predictor adds no new direction.

    >>> [round(x, 6) for x in subset_r_squared([[1.0, 0.0], [0.0, 1.0]], [0.6, 0.3])]
    [0.0, 0.36, 0.09, 0.45]
    """
    p = len(outcome_correlations)
    r_squared = [0.0] * (1 << p)

    def extend(mask: int, indices: list[int], factor: Matrix, w: list[float], value: float
               ) -> None:
        start = indices[-1] + 1 if indices else 0
        for j in range(start, p):
            new_row: list[float] = []
            for i, factor_row in enumerate(factor):
                dot = math.fsum(factor_row[k] * new_row[k] for k in range(i))
                new_row.append((correlations[indices[i]][j] - dot) / factor_row[i])
            residual = 1.0 - math.fsum(x * x for x in new_row)
            if residual <= tolerance:
                raise CollinearityError((*indices, j))
            diagonal = math.sqrt(residual)
            w_new = (outcome_correlations[j]
                     - math.fsum(x * y for x, y in zip(new_row, w, strict=True))) / diagonal
            new_mask = mask | (1 << j)
            r_squared[new_mask] = value + w_new * w_new
            extend(new_mask, [*indices, j], [*factor, [*new_row, diagonal]], [*w, w_new],
                   r_squared[new_mask])

    extend(0, [], [], [], 0.0)
    return r_squared
