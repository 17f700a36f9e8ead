//! Sine, cosine, tangent and power for the map's angles, in little wasm.
//!
//! `f64::sin`, `cos`, `tan` and `powf` link the general libm routines, whose argument reduction for huge angles
//! (`rem_pio2_large`) and `pow` weigh far more than these few functions (docs/SIZE.md). The widget only
//! takes trigonometric functions of latitudes, longitudes and projection angles (|x| < 4 radians), where a reduction
//! to [−π/2, π/2] by subtraction and a Taylor polynomial are exact to within a few units in the last place (the tests
//! compare with the standard library over the whole domain).

use std::f64::consts::{FRAC_PI_2, PI};

/// Reduces `x` to `[-π, π]`: for the small angles the map uses, the one subtraction of 2π a loop would make; for a
/// huge or infinite angle (a damaged outline's), a meaningless result at once, where a loop of subtractions would
/// run for ever (found by fuzzing, docs/FUZZING.md). `round_ties_even` is one wasm instruction (`f64.nearest`).
fn reduce(x: f64) -> f64 {
    x - (x / (2.0 * PI)).round_ties_even() * (2.0 * PI)
}

/// Taylor series of sin on `[-π/2, π/2]`, Horner form up to x¹⁹ (error < 1e-16 there).
fn sin_core(x: f64) -> f64 {
    let x2 = x * x;
    let mut term = 1.0;
    // Coefficients of x, x³, …, x¹⁹ as a product chain: 1 − x²/(2·3)(1 − x²/(4·5)(1 − …)).
    for k in (1..=9).rev() {
        let (a, b) = ((2 * k) as f64, (2 * k + 1) as f64);
        term = 1.0 - x2 / (a * b) * term;
    }
    x * term
}

pub fn sin(x: f64) -> f64 {
    let x = reduce(x);
    // sin(x) = sin(π − x) brings |x| ≤ π/2.
    if x > FRAC_PI_2 {
        sin_core(PI - x)
    } else if x < -FRAC_PI_2 {
        sin_core(-PI - x)
    } else {
        sin_core(x)
    }
}

pub fn cos(x: f64) -> f64 {
    sin(x + FRAC_PI_2)
}

pub fn tan(x: f64) -> f64 {
    sin(x) / cos(x)
}

/// `base^exp` for a positive base.
pub fn pow(base: f64, exp: f64) -> f64 {
    (exp * base.ln()).exp()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_the_standard_library_on_the_maps_domain() {
        let mut worst: f64 = 0.0;
        let mut x = -4.0;
        while x <= 4.0 {
            worst = worst.max((sin(x) - x.sin()).abs()).max((cos(x) - x.cos()).abs());
            if x.cos().abs() > 0.1 {
                worst = worst.max((tan(x) - x.tan()).abs() / x.tan().abs().max(1.0));
            }
            x += 0.000_37;
        }
        assert!(worst < 1e-14, "worst error {worst:e}");
        // Any angle gives an answer at once.
        for x in [1e300, -1e300, 1e17, f64::INFINITY, f64::NEG_INFINITY, f64::NAN] {
            assert!(sin(x).is_nan() || sin(x).abs() <= 1.0, "{x}");
        }
        for (b, e) in [(0.5, 0.725_607_765), (0.9, 0.040_909_595), (1.7, 2.5)] {
            assert!((pow(b, e) - f64::powf(b, e)).abs() < 1e-14);
        }
    }
}
