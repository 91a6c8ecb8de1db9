"""Chinese formats, overriding Django's zh_Hans ones where a browser needs ISO (settings.FORMAT_MODULE_PATH).

Django's zh_Hans list starts with "%Y/%m/%d", and a DateInput renders its value with the first input format:
`<input type=date>` accepts only YYYY-MM-DD and showed such a value as empty. ISO comes first here, so every
date field of the app (whatever form defines it) renders `2026-12-07`; the slashed and 年月日 forms are
still read when typed.
"""

DATE_INPUT_FORMATS = [
    "%Y-%m-%d",  # '2016-09-05' (what <input type=date> sends and accepts)
    "%Y/%m/%d",  # '2016/09/05'
    "%Y年%m月%d日",  # '2016年9月5日'
]
