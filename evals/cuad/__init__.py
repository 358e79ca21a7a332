"""CUAD evaluation: corpus loading, training and cross-validation of the clause classifier.

CUAD v1 (The Atticus Project; Hendrycks, Burns, Chen & Ball, 2021), CC BY 4.0.
"""
