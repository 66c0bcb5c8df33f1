package wgangp.cli;

import org.apache.hadoop.conf.Configuration;
import org.apache.spark.SparkConf;
import scala.Tuple2;

/**
 * The Hadoop configuration Spark would use ({@code core-site.xml} etc. from the classpath plus
 * every {@code spark.hadoop.*} setting), available before a SparkContext exists so the job can
 * check its input and output before starting one.
 */
final class HadoopConf {
    private HadoopConf() {
    }

    static Configuration from(SparkConf spark) {
        Configuration conf = new Configuration();
        for (Tuple2<String, String> kv : spark.getAll()) {
            if (kv._1().startsWith("spark.hadoop.")) {
                conf.set(kv._1().substring("spark.hadoop.".length()), kv._2());
            }
        }
        return conf;
    }
}
