package wgangp.model;

/**
 * An independent oracle: the WGAN-GP critic loss written with plain double loops, straight from
 * the definitions (no ND4J, no closed form). Finite differences of {@link #criticLoss} give the
 * true gradient that the fused ND4J implementation must match.
 */
final class PlainCritic {
    private PlainCritic() {
    }

    /** D(x) for one sample; w[l] is [in][out], b[l] is [out]. */
    static double score(double[][][] w, double[][] b, double slope, double[] x) {
        double[] a = x;
        for (int l = 0; l < w.length; l++) {
            double[] h = new double[b[l].length];
            for (int j = 0; j < h.length; j++) {
                double s = b[l][j];
                for (int i = 0; i < a.length; i++) {
                    s += a[i] * w[l][i][j];
                }
                h[j] = l + 1 < w.length && s <= 0 ? slope * s : s;
            }
            a = h;
        }
        return a[0];
    }

    /** ∇ₓD(x) by reverse-mode differentiation of {@link #score}, written out for one sample. */
    static double[] inputGradient(double[][][] w, double[][] b, double slope, double[] x) {
        int layers = w.length;
        double[][] pre = new double[layers][];
        double[] a = x;
        for (int l = 0; l < layers; l++) {
            pre[l] = new double[b[l].length];
            double[] next = new double[b[l].length];
            for (int j = 0; j < next.length; j++) {
                double s = b[l][j];
                for (int i = 0; i < a.length; i++) {
                    s += a[i] * w[l][i][j];
                }
                pre[l][j] = s;
                next[j] = l + 1 < layers && s <= 0 ? slope * s : s;
            }
            a = next;
        }
        double[] d = {1.0};
        for (int l = layers - 1; l >= 0; l--) {
            double[] below = new double[w[l].length];
            for (int i = 0; i < below.length; i++) {
                double s = 0;
                for (int j = 0; j < d.length; j++) {
                    s += w[l][i][j] * d[j];
                }
                below[i] = s;
            }
            if (l > 0) {
                for (int i = 0; i < below.length; i++) {
                    below[i] *= pre[l - 1][i] > 0 ? 1.0 : slope;
                }
            }
            d = below;
        }
        return d;
    }

    /** mean D(fake) − mean D(real) + λ·mean_b (‖∇ₓD(x̂_b)‖₂ − 1)², x̂ = ε·real + (1−ε)·fake. */
    static double criticLoss(double[][][] w, double[][] b, double slope, double[][] real, double[][] fake,
                             double[] eps, double lambda) {
        int batch = real.length;
        double wTerm = 0;
        double gp = 0;
        for (int n = 0; n < batch; n++) {
            wTerm += (score(w, b, slope, fake[n]) - score(w, b, slope, real[n])) / batch;
            double[] xHat = new double[real[n].length];
            for (int i = 0; i < xHat.length; i++) {
                xHat[i] = eps[n] * real[n][i] + (1 - eps[n]) * fake[n][i];
            }
            double[] g = inputGradient(w, b, slope, xHat);
            double norm = 0;
            for (double v : g) {
                norm += v * v;
            }
            norm = Math.sqrt(norm);
            gp += (norm - 1) * (norm - 1) / batch;
        }
        return wTerm + lambda * gp;
    }
}
