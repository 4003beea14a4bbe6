package org.clprop.cli;

import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.clprop.EpochStats;
import org.clprop.io.AtomicFiles;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;

/** Draws cost (left axis) and accuracies (right axis) per epoch to a PNG, written atomically. */
final class LearningCurve {
  private LearningCurve() {}

  static void write(Path png, List<EpochStats> epochs, String title) throws IOException {
    System.setProperty("java.awt.headless", "true");
    XYChart chart = new XYChartBuilder().width(900).height(540).title(title).xAxisTitle("epoch").build();
    chart.setYAxisGroupTitle(0, "cost J");
    chart.setYAxisGroupTitle(1, "accuracy");
    chart.getStyler().setChartBackgroundColor(Color.WHITE);
    chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNE);
    chart.getStyler().setYAxisGroupPosition(1, Styler.YAxisPosition.Right);
    chart.getStyler().setXAxisDecimalPattern("#");
    chart.getStyler().setXAxisTickMarkSpacingHint(60);
    double[] x = new double[epochs.size()];
    double[] cost = new double[x.length];
    double[] acc = new double[x.length];
    double[] val = new double[x.length];
    boolean hasVal = false;
    for (int i = 0; i < x.length; i++) {
      EpochStats e = epochs.get(i);
      x[i] = e.epoch();
      cost[i] = e.cost();
      acc[i] = e.accuracy();
      val[i] = e.validationAccuracy();
      hasVal |= e.hasValidation();
    }
    chart.addSeries("training cost", x, cost).setYAxisGroup(0);
    XYSeries a = chart.addSeries("training accuracy", x, acc);
    a.setYAxisGroup(1);
    if (hasVal) {
      chart.addSeries("validation accuracy", x, val).setYAxisGroup(1);
    }
    byte[] bytes = BitmapEncoder.getBitmapBytes(chart, BitmapEncoder.BitmapFormat.PNG);
    AtomicFiles.write(png, out -> out.write(bytes));
  }
}
