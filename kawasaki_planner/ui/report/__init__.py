"""The 点検・評価結果報告書 on paper: the PDF and its print preview (pdf.py), drawn on the page of page.py with
the charts of chart.py; the dialog of ファイル → 報告書を出力… (dialog.py); every string in strings.py."""
